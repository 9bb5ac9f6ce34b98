import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { createMiddleware } from 'hono/factory';
import type { Config, Listener, Logger } from '../platform/index.ts';
import { answerClientErrors, containRequests } from './contain.ts';
import type { EdgeEnv } from './env.ts';
import { writeProblem } from './problem.ts';

/** The port of the metrics listener when METRICS_HOST is set without METRICS_PORT (Prometheus exporters' own). */
const METRICS_DEFAULT_PORT = 9464;

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

type MetricsConfig = Pick<Config, 'HOST' | 'METRICS_HOST' | 'METRICS_PORT'>;

/**
 * The listener of its own that serves /metrics when METRICS_HOST or METRICS_PORT is set (host default HOST, port
 * default 9464); undefined when neither is, and the API serves /metrics itself.
 */
export function metricsListener(config: MetricsConfig): Listener | undefined {
  if (config.METRICS_HOST === undefined && config.METRICS_PORT === undefined) return undefined;
  return { name: 'METRICS_PORT', host: config.METRICS_HOST ?? config.HOST, port: config.METRICS_PORT ?? METRICS_DEFAULT_PORT };
}

/** Serves GET /metrics (and nothing else) on the listener; resolves with its URL once listening. */
export async function startMetricsServer(metrics: Metrics, at: Listener, logger: Logger) {
  const server: Server = createServer(
    containRequests(async (req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        return writeProblem(res, 'not_found', 'this port serves GET /metrics only', req.url ?? '/', undefined);
      }
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(body);
    }, logger),
  );
  answerClientErrors(server, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${at.host.includes(':') ? `[${at.host}]` : at.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
