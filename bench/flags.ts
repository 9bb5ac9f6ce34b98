import { parseArgs } from 'node:util';

/** Flags a bench command takes, all strings (numbers are checked by `int`). */
export type StringFlags = Record<string, { type: 'string'; default?: string }>;

/**
 * A bench command's flags: node:util parseArgs (strict) with `--help`, `-h` and `--out FILE`, each error ending
 * with the usage. `out` is where the results go by default: `bench/results/<kind>-<time>.json`.
 */
export function benchFlags(argv: readonly string[], o: { usage: string; kind: string; now: Date; options: StringFlags }) {
  const fail = (message: string): never => {
    throw new Error(`${message}\n${o.usage}`);
  };
  let values: Record<string, string | boolean | undefined> = {};
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        ...o.options,
        out: { type: 'string', default: `bench/results/${o.kind}-${o.now.toISOString().replace(/[:.]/g, '-')}.json` },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help === true) throw new Error(o.usage);
  if (values.out === '') fail('--out needs a file name');
  const text = (name: string): string | undefined => values[name] as string | undefined;
  return {
    out: text('out')!,
    text,
    /** The flag as an integer of at least `min`. */
    int(name: string, min = 1): number {
      const v = text(name);
      const n = Number(v);
      return v === undefined || !Number.isInteger(n) || n < min ? fail(`--${name} needs an integer >= ${min}`) : n;
    },
    /** The flag as a comma-separated list of names, each one of `known`. */
    names(name: string, known: readonly string[]): string[] {
      const list = (text(name) ?? '').split(',').filter(Boolean);
      const unknown = list.filter((n) => !known.includes(n));
      return unknown.length > 0 ? fail(`--${name}: unknown ${unknown.join(', ')} (one of ${known.join(', ')})`) : list;
    },
  };
}
