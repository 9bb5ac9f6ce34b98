/**
 * An error at start-up that the operator fixes (a bad configuration, a port in use, a refused option): its
 * message says all there is, so {@link startOrExit} prints it without a stack.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Runs the start-up steps of an entry point. A {@link StartupError} is printed alone on stderr and ends the
 * process with exit code 1 before anything else runs; any other error is thrown on, with its stack.
 */
export async function startOrExit<T>(start: () => T | Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
