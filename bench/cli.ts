import { parseArgs as parseFlags } from 'node:util';

/** What `npm run bench:drop` was asked to do. */
export interface BenchArgs {
  buyers: number;
  units: number;
  sockets: number;
  /** Where the JSON goes; the SVG chart goes beside it with the extension `.svg`. */
  out: string;
  /** HTTP connections autocannon keeps open, the same for every run it makes. */
  connections: number;
  /** Children to start with `node --cpu-prof` (edge, edge-alone, sequencer, sequencer-alone, worker, stripe). */
  profile: string[];
  /**
   * The drop's line: units that admitted intents may ask for before joins are refused `queue_full`. Default:
   * the waiting sockets or the product's default (twice the units), whichever is more, so that every waiting
   * socket is a buyer in line; `--queue-limit 0` sets it to the buyers (everyone gets in line).
   */
  queueLimit: number;
  /** Phases to skip (ceilings, sequencer, joins, baseline), for a quicker look at the drop alone. */
  skip: string[];
}

const PHASES = ['ceilings', 'sequencer', 'joins', 'rejections', 'baseline'];
const PROFILED = ['edge', 'edge-alone', 'sequencer', 'sequencer-alone', 'worker', 'stripe'];

const USAGE = `usage: npm run bench:drop -- [--buyers N] [--units U] [--sockets W] [--out FILE] [--queue-limit Q]
                            [--connections C] [--profile ${PROFILED.join(',')}] [--skip ${PHASES.join(',')}]`;

/** A comma-separated list of names, each one of `known`. */
const names = (flag: string, v: string | undefined, known: readonly string[]): string[] => {
  const list = (v ?? '').split(',').filter(Boolean);
  const unknown = list.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new Error(`${flag}: unknown ${unknown.join(', ')} (one of ${known.join(', ')})\n${USAGE}`);
  return list;
};

const positive = (flag: string, v: string | undefined, min = 1): number => {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}\n${USAGE}`);
  return n;
};

/** Parses the command line (node:util parseArgs, strict); throws with the usage on anything it does not know. */
export function parseArgs(argv: readonly string[], now = new Date()): BenchArgs {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let values;
  try {
    ({ values } = parseFlags({
      args: [...argv],
      strict: true,
      options: {
        buyers: { type: 'string', default: '100000' },
        units: { type: 'string', default: '1000' },
        sockets: { type: 'string', default: '10000' },
        connections: { type: 'string', default: '256' },
        out: { type: 'string', default: `bench/results/drop-${stamp}.json` },
        'queue-limit': { type: 'string' },
        profile: { type: 'string', default: '' },
        skip: { type: 'string', default: '' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help === true) throw new Error(USAGE);
  if (values.out === '') throw new Error(`--out needs a file name\n${USAGE}`);
  const a: BenchArgs = {
    buyers: positive('--buyers', values.buyers),
    units: positive('--units', values.units),
    sockets: positive('--sockets', values.sockets, 0),
    out: values.out,
    connections: positive('--connections', values.connections),
    profile: names('--profile', values.profile, PROFILED),
    skip: names('--skip', values.skip, PHASES),
    queueLimit: values['queue-limit'] === undefined ? -1 : positive('--queue-limit', values['queue-limit'], 0),
  };
  if (a.queueLimit === -1) a.queueLimit = Math.max(a.sockets, 2 * a.units);
  else if (a.queueLimit === 0) a.queueLimit = a.buyers;
  if (a.units > a.buyers) throw new Error(`--units (${a.units}) must not exceed --buyers (${a.buyers})`);
  if (a.sockets > a.buyers) throw new Error(`--sockets (${a.sockets}) must not exceed --buyers (${a.buyers})`);
  return a;
}
