import { isDataError } from './errors.ts';

interface Call<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

/**
 * One call for all the calls made in the same turn of the event loop: `run` gets their inputs in call order and
 * answers their outputs in the same order. When a run of several is refused for its data (SQLSTATE class 22 or
 * 23), each input is run again alone, so one bad input fails only its own call (`run` must change nothing when
 * it fails, as one SQL statement does); any other failure (the database down) fails the whole batch. Used
 * where a crowd makes thousands of small database round trips a second (a statement each cost the database
 * more than the work in it).
 */
export function batched<I, O>(run: (inputs: I[]) => Promise<O[]>): (input: I) => Promise<O> {
  let calls: Call<I, O>[] = [];
  const settle = async (batch: Call<I, O>[]) => {
    try {
      const outputs = await run(batch.map((c) => c.input));
      batch.forEach((c, i) => c.resolve(outputs[i]!));
    } catch (err) {
      if (batch.length > 1 && isDataError(err)) await Promise.all(batch.map((c) => settle([c])));
      else for (const c of batch) c.reject(err);
    }
  };
  const flush = () => {
    const batch = calls;
    calls = [];
    void settle(batch);
  };
  return (input) =>
    new Promise<O>((resolve, reject) => {
      if (calls.length === 0) setImmediate(flush);
      calls.push({ input, resolve, reject });
    });
}

/** {@link batched} for calls that answer nothing: one `run` for the writes of a turn. */
export const batchedWrites = <I>(run: (inputs: I[]) => Promise<unknown>): ((input: I) => Promise<void>) =>
  batched(async (inputs: I[]) => {
    await run(inputs);
    return inputs.map(() => undefined);
  });

/**
 * {@link batched} for lookups by id: `find` answers the rows it found keyed by lower-case id, and each call gets
 * its own row, or undefined.
 */
export const batchedLookup = <V>(find: (ids: string[]) => Promise<Map<string, V>>): ((id: string) => Promise<V | undefined>) =>
  batched(async (ids: string[]) => {
    const found = await find(ids);
    return ids.map((id) => found.get(id.toLowerCase()));
  });

/** The first item of each key, in order: one statement may not change the same row twice. */
export function firstOfEach<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Items grouped by key, each group in the order given, groups in order of first appearance. */
export function groupBy<K, T>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
