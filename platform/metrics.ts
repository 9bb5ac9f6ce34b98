import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Listener } from './ports.ts';
import type { Closer } from './shutdown.ts';

/**
 * The domain metrics of this process: each process (edge, sequencer, order worker, catalog indexer, or all of
 * them under `npm start`) records what it sees itself here, and exposes this registry at /metrics (the edge
 * beside its own HTTP metrics, the others on the listener METRICS_HOST/METRICS_PORT configure). Figures of a drop that several processes share are
 * read from Redis instead, by whoever exposes them.
 */
export const domainRegistry = new Registry();

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Sequencer: decisions made, by the status they gave. */
export const decisionsMade = new Counter({
  name: 'flashline_decisions_total',
  help: 'Decisions made by this sequencer, by status',
  labelNames: ['status'] as const,
  registers: [domainRegistry],
});

/** Checkout: saga steps run (order worker, and the edge for the held-unit checkout), by step and outcome. */
export const sagaSteps = new Histogram({
  name: 'flashline_saga_step_duration_seconds',
  help: 'Saga steps run by this process, by step and outcome (continue, stop, settled, error)',
  labelNames: ['step', 'outcome'] as const,
  buckets: SECONDS,
  registers: [domainRegistry],
});

/** Every consumer group of this process: messages behind the partition's end after its last batch. */
export const consumerLag = new Gauge({
  name: 'flashline_consumer_lag_messages',
  help: 'Messages a consumer group of this process has yet to read, per partition, after its last batch',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [domainRegistry],
});

/** The outbox relay: how long the oldest row it published last had waited. */
export const outboxLag = new Gauge({
  name: 'flashline_outbox_lag_seconds',
  help: 'Age of the oldest outbox row in the relay’s last batch (0 when the outbox was drained)',
  registers: [domainRegistry],
});

/** Catalog caches: answers served from Redis or computed. */
export const cacheRequests = new Counter({
  name: 'flashline_cache_requests_total',
  help: 'Catalog cache lookups by cache (search, tree, page) and result (hit, miss)',
  labelNames: ['cache', 'result'] as const,
  registers: [domainRegistry],
});

/** Catalog search engines: the time of each search and autocomplete the engine answered (cache misses). */
export const searchDuration = new Histogram({
  name: 'flashline_search_duration_seconds',
  help: 'Search engine calls by engine and kind (search, autocomplete)',
  labelNames: ['engine', 'kind'] as const,
  buckets: SECONDS,
  registers: [domainRegistry],
});

/** Runs `f` and records its duration in the histogram under the labels; failures are recorded too. */
export async function timed<T, L extends string>(h: Histogram<L>, labels: Partial<Record<L, string>>, f: () => Promise<T>): Promise<T> {
  const end = h.startTimer(labels);
  try {
    return await f();
  } finally {
    end();
  }
}

/** The port of the metrics listener when METRICS_HOST is set without METRICS_PORT (Prometheus exporters' own). */
const METRICS_DEFAULT_PORT = 9464;

/**
 * The listener of its own that serves /metrics when METRICS_HOST or METRICS_PORT is set (host default HOST, port
 * default 9464). Undefined when neither is: the edge then serves /metrics on the API, and a process without an HTTP
 * server of its own (sequencer, order worker, catalog indexer run alone) serves none.
 */
export function metricsListener(config: Pick<Config, 'HOST' | 'METRICS_HOST' | 'METRICS_PORT'>): Listener | undefined {
  if (config.METRICS_HOST === undefined && config.METRICS_PORT === undefined) return undefined;
  return { name: 'METRICS_PORT', host: config.METRICS_HOST ?? config.HOST, port: config.METRICS_PORT ?? METRICS_DEFAULT_PORT };
}

/**
 * Serves GET /metrics, and nothing else, at the listener with the Prometheus text `text` gives; resolves once
 * listening with its URL and the closer that stops it. A failed scrape is that request's 500 alone.
 */
export async function serveMetrics(at: Listener, text: () => Promise<string>, logger: Logger): Promise<{ url: string; closer: Closer }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('this port serves GET /metrics only\n');
      return;
    }
    text().then(
      (body) => res.writeHead(200, { 'Content-Type': domainRegistry.contentType }).end(body),
      (err: unknown) => {
        logger.error({ err }, 'metrics scrape failed');
        res.writeHead(500).end();
      },
    );
  });
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
    closer: { name: 'metrics', close: () => new Promise<void>((resolve) => server.close(() => resolve())) },
  };
}

/** The closers of this process's metrics listener (its domain metrics) when one is configured, none otherwise. */
export async function metricsClosers(
  config: Pick<Config, 'HOST' | 'METRICS_HOST' | 'METRICS_PORT'>,
  logger: Logger,
): Promise<Closer[]> {
  const at = metricsListener(config);
  return at === undefined ? [] : [(await serveMetrics(at, () => domainRegistry.metrics(), logger)).closer];
}
