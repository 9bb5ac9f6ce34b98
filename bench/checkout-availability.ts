import autocannon from 'autocannon';

export interface AvailabilityRun {
  connections: number;
  seconds: number;
  paths: number;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  /** Answers other than 2xx, and requests that failed or timed out. */
  non_2xx: number;
  errors: number;
}

/**
 * GET availability answers for `paths` in turn on `connections` keep-alive connections for `seconds` (autocannon),
 * after one request per path that fills the page cache as shoppers' first reads would.
 */
export async function runAvailability(o: { url: string; paths: readonly string[]; connections: number; seconds: number }): Promise<AvailabilityRun> {
  for (const path of o.paths) await (await fetch(`${o.url}${path}`)).text();
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    requests: o.paths.map((path) => ({ method: 'GET' as const, path })),
  });
  return {
    connections: o.connections,
    seconds: o.seconds,
    paths: o.paths.length,
    requests_per_s: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    non_2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}
