import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { createMiddleware } from 'hono/factory';
import type { EdgeEnv } from './env.ts';

/** A registry with the process metrics and the HTTP request histogram of one edge. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const middleware = createMiddleware<EdgeEnv>(async (c, next) => {
    const end = requests.startTimer();
    await next();
    end({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) });
  });
  /** Records a request answered outside the app (the sold-out fast path). */
  const observe = (method: string, route: string, status: number, seconds: number) =>
    requests.observe({ method, route, status: String(status) }, seconds);
  return { registry, middleware, observe };
}

export type Metrics = ReturnType<typeof createMetrics>;
