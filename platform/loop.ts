import type { Logger } from './logger.ts';

export interface Loop {
  /** Stops scheduling and resolves once the tick in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` now and then again `intervalMs` after each tick ends, or at once when the tick answers `true`
 * (work is waiting). Never two ticks at once; a failing tick is logged and the loop goes on. The one periodic
 * loop of the platform: hold expiry, saga recovery, drop settlement, the drop opener and the outbox relay.
 */
export function startLoop(name: string, intervalMs: number, tick: () => Promise<unknown>, logger: Logger): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const run = () => {
    current = tick().then(
      (more) => {
        if (!stopped) timer = setTimeout(run, more === true ? 0 : intervalMs);
      },
      (err: unknown) => {
        logger.error({ err, loop: name }, 'loop tick failed; will retry');
        if (!stopped) timer = setTimeout(run, intervalMs);
      },
    );
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
