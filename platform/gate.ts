import { AppError } from './errors.ts';

export interface Gate {
  /**
   * Runs `task` once fewer than `max` tasks of this gate are running, in arrival order. A task that cannot
   * start within `waitMs` is not run: the call fails with an `unavailable` AppError whose `retry_after` is 1
   * (seconds), so the caller is told to come back instead of queueing without end.
   */
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * A per-process cap on concurrent work of one kind (uncached searches, password hashes): at most `max` at once,
 * the rest wait in line for at most `waitMs` (0: refused at once). `what` names the work in the refusal.
 */
export function createGate(o: { max: number; waitMs: number; what: string }): Gate {
  let running = 0;
  const line: { start: () => void; timer: NodeJS.Timeout }[] = [];

  const refuse = () =>
    new AppError('unavailable', `${o.what} is busy; try again shortly`, { details: { retry_after: 1 } });

  /** Resolves holding a slot, or rejects after `waitMs`. */
  const acquire = (): Promise<void> => {
    if (running < o.max && line.length === 0) {
      running++;
      return Promise.resolve();
    }
    if (o.waitMs <= 0) return Promise.reject(refuse());
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: resolve,
        timer: setTimeout(() => {
          line.splice(line.indexOf(entry), 1);
          reject(refuse());
        }, o.waitMs),
      };
      line.push(entry);
    });
  };

  /** Hands the slot to the first in line, or frees it. */
  const release = () => {
    const next = line.shift();
    if (next === undefined) {
      running--;
      return;
    }
    clearTimeout(next.timer);
    next.start();
  };

  return {
    async run(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
