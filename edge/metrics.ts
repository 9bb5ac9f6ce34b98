import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createMiddleware } from 'hono/factory';
import type { DropFigures } from '../admission/index.ts';
import { domainRegistry } from '../platform/index.ts';
import type { EdgeEnv } from './env.ts';

/** Buckets of the join's latency, in seconds (the live panel's p99 is read from them). */
export const JOIN_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A drop's Redis figures exposed as gauges, one series per open drop. */
const FIGURES = {
  remaining: 'Units of the drop neither held nor sold',
  held: 'Units of the drop held for shoppers',
  purchased: 'Units of the drop sold',
  queue_depth: 'Joins not decided yet plus intents on the waitlist',
  sockets: 'Open waiting-room sockets of the drop, over every edge',
  decisions: 'Decisions made in the drop so far (rate() gives decisions per second)',
  intents: 'Shoppers with an intent in the drop (rate() gives accepted joins per second)',
} as const satisfies Partial<Record<keyof DropFigures, string>>;

/**
 * A registry with the process metrics, the HTTP request histogram and the joins of one edge; `/metrics` shows it
 * with the process's domain metrics and, when `openDrops` is given, the figures of each open drop read from Redis
 * at scrape time (the same for every edge: take one edge's, or max, not a sum).
 */
export function createMetrics(o: { openDrops?: () => Promise<DropFigures[]> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const joins = new Counter({
    name: 'flashline_joins_total',
    help: 'Joins answered by this edge, by drop and result (queued, prequeued, again, sold_out, ended, queue_full, ...)',
    labelNames: ['drop_id', 'result'] as const,
    registers: [registry],
  });
  const joinSeconds = new Histogram({
    name: 'flashline_join_duration_seconds',
    help: 'Time this edge took to answer a join, by drop',
    labelNames: ['drop_id'] as const,
    buckets: JOIN_BUCKETS,
    registers: [registry],
  });

  if (o.openDrops !== undefined) {
    const read = o.openDrops;
    // One read of Redis serves every gauge of a scrape.
    let snapshot: { at: number; figures: Promise<DropFigures[]> } | undefined;
    const figures = () => {
      if (snapshot === undefined || Date.now() - snapshot.at > 500) snapshot = { at: Date.now(), figures: read() };
      return snapshot.figures;
    };
    for (const [field, help] of Object.entries(FIGURES) as [keyof typeof FIGURES, string][]) {
      new Gauge({
        name: `flashline_drop_${field}`,
        help,
        labelNames: ['drop_id'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          for (const f of await figures()) this.set({ drop_id: f.drop_id }, f[field]);
        },
      });
    }
  }

  const middleware = createMiddleware<EdgeEnv>(async (c, next) => {
    const end = requests.startTimer();
    await next();
    end({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) });
  });
  /** Records a request answered outside the app (the sold-out fast path). */
  const observe = (method: string, route: string, status: number, seconds: number) =>
    requests.observe({ method, route, status: String(status) }, seconds);
  // The labelled series of each drop and result, kept: the sold-out fast path records every one of a crowd's joins.
  const joinCounters = new Map<string, Counter.Internal>();
  const joinTimers = new Map<string, Histogram.Internal<'drop_id'>>();
  /** Records a join's answer: counter increments only, no I/O. */
  const recordJoin = (dropId: string, result: string, seconds: number) => {
    const key = `${dropId} ${result}`;
    let counter = joinCounters.get(key);
    if (counter === undefined) joinCounters.set(key, (counter = joins.labels({ drop_id: dropId, result })));
    let timer = joinTimers.get(dropId);
    if (timer === undefined) joinTimers.set(dropId, (timer = joinSeconds.labels({ drop_id: dropId })));
    counter.inc();
    timer.observe(seconds);
  };
  /** This edge's joins of one drop so far: the count by result, and the latency histogram's cumulative buckets. */
  const joinsOf = async (dropId: string) => {
    const [counts, hist] = await Promise.all([joins.get(), joinSeconds.get()]);
    const byResult: Record<string, number> = {};
    for (const v of counts.values) if (v.labels.drop_id === dropId) byResult[String(v.labels.result)] = v.value;
    const buckets = hist.values
      .filter((v) => v.labels.drop_id === dropId && v.metricName === 'flashline_join_duration_seconds_bucket')
      .map((v) => {
        const le = (v.labels as Record<string, string | number>).le;
        return { le: le === '+Inf' ? Infinity : Number(le), count: v.value };
      });
    return { byResult, buckets };
  };
  /** Prometheus text of this edge's registry and the process's domain metrics. */
  const text = async () => `${await registry.metrics()}\n${await domainRegistry.metrics()}`;
  return { registry, middleware, observe, recordJoin, joinsOf, text };
}

export type Metrics = ReturnType<typeof createMetrics>;
