import autocannon from 'autocannon';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './report.ts';

/** What one load run measured: requests, their rate, latency percentiles in ms, and the failures. */
export interface Load {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** GETs of the paths `next` gives, at `url`, on `connections` keep-alive connections for `seconds` (autocannon). */
export async function loadGets(o: {
  url: string;
  connections: number;
  seconds: number;
  next: () => string;
  headers?: Record<string, string>;
}): Promise<Load> {
  const res = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    ...(o.headers ? { headers: o.headers } : {}),
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: o.next() }) }],
  });
  return {
    requests: res.requests.total,
    rps: Math.round(res.requests.average),
    p50: res.latency.p50,
    p90: res.latency.p90,
    p99: res.latency.p99,
    max: res.latency.max,
    errors: res.errors,
    non2xx: res.non2xx,
  };
}

/** Writes a run's results to `bench/results/<kind>-<time>.json`, with the time and the machine; answers the file. */
export async function writeResults(kind: string, results: Record<string, unknown>): Promise<string> {
  const dir = join(fileURLToPath(new URL('..', import.meta.url)), 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const at = new Date().toISOString();
  const file = join(dir, `${kind}-${at.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ at, machine: machine(), ...results }, null, 2)}\n`);
  return file;
}
