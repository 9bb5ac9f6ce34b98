import autocannon from 'autocannon';
import { Buckets } from './stats.ts';

/** Width of the time buckets answers are counted in. */
const BUCKET_MS = 100;

export interface CrowdOptions {
  /** Origin, such as http://127.0.0.1:8080. */
  url: string;
  method: 'GET' | 'POST';
  path: string;
  /** One bearer token per request: request i is made by user i, each exactly once. */
  tokens: readonly string[];
  body?: (user: number) => string;
  connections: number;
  /** Called with each answer (in the load generator's event loop: keep it cheap). */
  onAnswer?: (user: number, status: number, body: string) => void;
  /** Called every second while the crowd runs, with the answers so far by status and the seconds since the start. */
  progress?: (counts: ReadonlyMap<number, number>, seconds: number) => void;
}

export interface CrowdResult {
  startedAt: number;
  endedAt: number;
  /** Status per user (0: no answer). */
  status: Uint16Array;
  /** Epoch ms at which each user got the answer (0: none). */
  answeredAt: Float64Array;
  /** Answers by status. */
  counts: Map<number, number>;
  /** Latency (ms) of each answer, by status. */
  latencies: Map<number, number[]>;
  /** Answers per time bucket, by status. */
  series: Map<number, Buckets>;
}

/**
 * Sends one request per token with autocannon (`connections` keep-alive connections, no pipelining): request i
 * carries token i and body(i), so every request is a distinct user. Resolves when each has been answered, has
 * failed or has timed out (30 s).
 */
export async function runCrowd(o: CrowdOptions): Promise<CrowdResult> {
  const n = o.tokens.length;
  const status = new Uint16Array(n);
  const answeredAt = new Float64Array(n);
  const latencies = new Map<number, number[]>();
  const series = new Map<number, Buckets>();
  const counts = new Map<number, number>();
  let next = 0;
  const startedAt = Date.now();
  const ticker = o.progress && setInterval(() => o.progress!(counts, (Date.now() - startedAt) / 1000), 1_000);

  let finish: (r: autocannon.Result) => void = () => {};
  let fail: (err: unknown) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: o.url,
    connections: Math.min(o.connections, n),
    amount: n,
    timeout: 30,
    requests: [
      {
        method: o.method,
        path: o.path,
        headers: o.body ? { 'content-type': 'application/json' } : {},
        setupRequest: (req, context) => {
          const user = next++;
          (context as { user?: number }).user = user;
          return {
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${o.tokens[user]}` },
            ...(o.body ? { body: o.body(user) } : {}),
          };
        },
        onResponse: (code, body, context) => {
          const user = (context as { user: number }).user;
          const at = Date.now();
          status[user] = code;
          answeredAt[user] = at;
          counts.set(code, (counts.get(code) ?? 0) + 1);
          let b = series.get(code);
          if (!b) series.set(code, (b = new Buckets(startedAt, BUCKET_MS)));
          b.add(at);
          o.onAnswer?.(user, code, body);
        },
      },
    ],
  }, (err, r) => (err ? fail(err) : finish(r)));
  // autocannon emits 'response' right after onResponse, for the same answer, with its latency.
  instance.on('response', (_client, code, _bytes, ms) => {
    let l = latencies.get(code);
    if (!l) latencies.set(code, (l = []));
    l.push(ms);
  });
  try {
    await done;
  } finally {
    clearInterval(ticker);
  }
  return { startedAt, endedAt: Date.now(), status, answeredAt, counts, latencies, series };
}

/** `answered 202 1,234 · 410 5 · other 0`: the answers of each status named, and of all others together. */
export function answeredLine(counts: ReadonlyMap<number, number>, statuses: readonly number[]): string {
  const named = statuses.map((k) => `${k} ${(counts.get(k) ?? 0).toLocaleString('en-US')}`);
  const other = [...counts].filter(([k]) => !statuses.includes(k)).reduce((a, [, v]) => a + v, 0);
  return `answered ${named.join(' · ')} · other ${other.toLocaleString('en-US')}`;
}
