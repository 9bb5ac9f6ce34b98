import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (ms) of every process at one moment, from /proc (Linux); empty elsewhere. */
export function cpuSnapshot(): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      out.set(Number(p), { name: cmd || stat.slice(stat.indexOf('(') + 1, close), ms: ticks * 10 });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU seconds used between two snapshots, grouped: the benchmark's own processes by the names given, the
 * stack (PostgreSQL, Redis, Kafka) and everything else on the machine (another user's load distorts a run).
 */
export function cpuUsage(
  before: ReturnType<typeof cpuSnapshot>,
  after: ReturnType<typeof cpuSnapshot>,
  own: Map<number, string>,
  database: string,
) {
  const groups = new Map<string, number>();
  const add = (g: string, ms: number) => groups.set(g, (groups.get(g) ?? 0) + ms);
  const others: [string, number][] = [];
  for (const [pid, a] of after) {
    const ms = a.ms - (before.get(pid)?.ms ?? 0);
    if (ms <= 0) continue;
    const name = own.get(pid);
    if (name !== undefined) add(name, ms);
    else if (/^postgres: /.test(a.name) && / postgres \S+ \d/.test(a.name) && !a.name.includes(` ${database} `)) {
      add('other', ms); // a backend serving another database
      others.push([a.name.slice(0, 80), ms]);
    } else if (/postgres/.test(a.name)) add('postgres', ms);
    else if (/redis-server/.test(a.name)) add('redis', ms);
    else if (/kafka\.Kafka|java/.test(a.name)) add('kafka', ms);
    else {
      add('other', ms);
      others.push([a.name.slice(0, 80), ms]);
    }
  }
  const seconds = Object.fromEntries([...groups].sort((x, y) => y[1] - x[1]).map(([g, ms]) => [g, Math.round(ms / 100) / 10]));
  const topOthers = others
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3)
    .map(([n, ms]) => `${n} (${(ms / 1000).toFixed(1)} s)`);
  return { seconds, topOthers };
}
