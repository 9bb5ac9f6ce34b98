import { createHash } from 'node:crypto';

/** How a keyed request was answered: freshly executed, replayed from the first execution, or refused. */
export type IdempotentOutcome<T> =
  | { kind: 'executed'; value: T }
  | { kind: 'replayed'; value: T }
  | { kind: 'mismatch' };

/** Remembers the first answer per idempotency key. */
export interface IdempotencyStore<T> {
  /**
   * Runs `execute` at most once per key while its answer is remembered. Calls with the same key are
   * serialised, so a concurrent duplicate waits for the first and then replays it; a different `fingerprint`
   * under a remembered key is a mismatch and executes nothing. If `execute` throws, nothing is remembered and
   * the key stays free for a retry.
   */
  run(key: string, fingerprint: string, execute: () => T | Promise<T>): Promise<IdempotentOutcome<T>>;
}

export interface IdempotencyOptions {
  /** Oldest keys are forgotten beyond this many (Stripe forgets after 24 h; this bounds memory instead). */
  maxEntries?: number;
}

/** The request identity a key is bound to: method, path and the canonical parameters. */
export function fingerprint(method: string, path: string, canonicalParams: string): string {
  return createHash('sha256').update(`${method}\n${path}\n${canonicalParams}`).digest('hex');
}

/** An in-memory store; see {@link IdempotencyStore.run} for the guarantees. */
export function createIdempotencyStore<T>({
  maxEntries = 100_000,
}: IdempotencyOptions = {}): IdempotencyStore<T> {
  const saved = new Map<string, { fingerprint: string; value: T }>();
  const tails = new Map<string, Promise<unknown>>();

  const serialise = <R>(key: string, task: () => Promise<R>): Promise<R> => {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };

  const remember = (key: string, entry: { fingerprint: string; value: T }) => {
    saved.set(key, entry);
    const oldest = saved.keys().next();
    if (saved.size > maxEntries && !oldest.done) saved.delete(oldest.value);
  };

  return {
    run: (key, fp, execute) =>
      serialise(key, async (): Promise<IdempotentOutcome<T>> => {
        const hit = saved.get(key);
        if (hit?.fingerprint === fp) return { kind: 'replayed', value: hit.value };
        if (hit) return { kind: 'mismatch' };
        const value = await execute();
        remember(key, { fingerprint: fp, value });
        return { kind: 'executed', value };
      }),
  };
}
