import type { Logger } from './logger.ts';

export interface Closer {
  name: string;
  close: () => Promise<unknown>;
}

/**
 * Runs the closers in order on SIGTERM or SIGINT (stop accepting first, connections last), each
 * bounded by the timeout, then exits 0 (1 if a closer failed). A second signal exits at once.
 */
export function onShutdown(closers: Closer[], logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void closeAll(closers, logger, timeoutMs).then((ok) => {
      logger.info({ ok }, 'stopped');
      process.exit(ok ? 0 : 1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Closes each in turn; true when all closed within the timeout. */
export async function closeAll(closers: Closer[], logger: Logger, timeoutMs: number): Promise<boolean> {
  let ok = true;
  for (const { name, close } of closers) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([close(), timeout]);
    } catch (err) {
      ok = false;
      logger.error({ err, closer: name }, 'close failed');
    } finally {
      clearTimeout(timer);
    }
  }
  return ok;
}
