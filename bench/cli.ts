import { benchFlags } from './flags.ts';

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

/** Parses the command line (node:util parseArgs, strict); throws with the usage on anything it does not know. */
export function parseArgs(argv: readonly string[], now = new Date()): BenchArgs {
  const f = benchFlags(argv, {
    usage: USAGE,
    kind: 'drop',
    now,
    options: {
      buyers: { type: 'string', default: '100000' },
      units: { type: 'string', default: '1000' },
      sockets: { type: 'string', default: '10000' },
      connections: { type: 'string', default: '256' },
      'queue-limit': { type: 'string' },
      profile: { type: 'string', default: '' },
      skip: { type: 'string', default: '' },
    },
  });
  const a: BenchArgs = {
    buyers: f.int('buyers'),
    units: f.int('units'),
    sockets: f.int('sockets', 0),
    out: f.out,
    connections: f.int('connections'),
    profile: f.names('profile', PROFILED),
    skip: f.names('skip', PHASES),
    queueLimit: f.text('queue-limit') === undefined ? -1 : f.int('queue-limit', 0),
  };
  if (a.queueLimit === -1) a.queueLimit = Math.max(a.sockets, 2 * a.units);
  else if (a.queueLimit === 0) a.queueLimit = a.buyers;
  if (a.units > a.buyers) throw new Error(`--units (${a.units}) must not exceed --buyers (${a.buyers})`);
  if (a.sockets > a.buyers) throw new Error(`--sockets (${a.sockets}) must not exceed --buyers (${a.buyers})`);
  return a;
}
