import type { AdvanceResult } from './saga.ts';
import type { Logger } from '../platform/index.ts';

export interface SagaRunner {
  /**
   * Asks for a saga (a drop intent's, a cart checkout's) to be advanced soon; kicks of one already queued or running
   * coalesce.
   * Urgent kicks (a held unit to pay for, while a crowd waits for the drop to sell out) go before the others
   * (confirmations, refunds).
   */
  kick(intentId: string, urgent?: boolean): void;
  /** Stops taking kicks and resolves once the advances in progress have finished. */
  stop(): Promise<void>;
}

export interface SagaRunnerOptions {
  concurrency?: number;
  /** When another process holds the saga, try again after this long… */
  busyRetryMs?: number;
  /** …this many times; after that the recovery loop will find it. */
  busyRetries?: number;
}

/** Advances sagas in the background, at most `concurrency` at once, one advance per saga at a time. */
export function createSagaRunner(
  advance: (intentId: string) => Promise<AdvanceResult>,
  logger: Logger,
  { concurrency = 64, busyRetryMs = 250, busyRetries = 40 }: SagaRunnerOptions = {},
): SagaRunner {
  const urgentQueue: string[] = [];
  const queue: string[] = [];
  const queued = new Set<string>();
  const running = new Set<string>();
  const again = new Set<string>();
  const retries = new Map<string, { count: number; timer: NodeJS.Timeout }>();
  let stopped = false;
  let idle: (() => void) | undefined;

  const pump = () => {
    while (!stopped && running.size < concurrency && urgentQueue.length + queue.length > 0) {
      const id = urgentQueue.length > 0 ? urgentQueue.shift()! : queue.shift()!;
      queued.delete(id);
      running.add(id);
      void advance(id)
        .then((r) => (r === 'busy' ? retryLater(id) : retries.delete(id)))
        .catch((err: unknown) => logger.error({ err, saga_id: id }, 'saga advance failed'))
        .finally(() => {
          running.delete(id);
          if (again.delete(id)) kick(id);
          pump();
          if (running.size === 0) idle?.();
        });
    }
  };

  const retryLater = (id: string) => {
    const count = (retries.get(id)?.count ?? 0) + 1;
    if (count > busyRetries || stopped) {
      retries.delete(id);
      return;
    }
    retries.set(id, { count, timer: setTimeout(() => kick(id), busyRetryMs) });
  };

  function kick(id: string, urgent = false) {
    if (stopped) return;
    if (running.has(id)) {
      again.add(id);
      return;
    }
    if (queued.has(id)) return;
    queued.add(id);
    (urgent ? urgentQueue : queue).push(id);
    pump();
  }

  return {
    kick,
    async stop() {
      stopped = true;
      for (const r of retries.values()) clearTimeout(r.timer);
      retries.clear();
      queue.length = 0;
      urgentQueue.length = 0;
      queued.clear();
      if (running.size > 0) await new Promise<void>((resolve) => (idle = resolve));
    },
  };
}
