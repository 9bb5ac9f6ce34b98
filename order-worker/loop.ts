import type { Logger } from '../platform/logger.ts';

export interface Loop {
  /** Stops scheduling and resolves once the tick in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` now and then every `intervalMs` after the previous tick ended (never two at once). A failing
 * tick is logged and the loop goes on.
 */
export function startLoop(
  name: string,
  intervalMs: number,
  tick: () => Promise<unknown>,
  logger: Logger,
): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const run = () => {
    current = tick()
      .then(
        () => undefined,
        (err: unknown) => logger.error({ err, loop: name }, 'loop tick failed'),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
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
