import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { createDropOpener } from '../admission/index.ts';
import {
  type Closer,
  type Config,
  createKafka,
  databaseName,
  type Listener,
  metricsListener,
  type Runtime,
  serveMetrics,
} from '../platform/index.ts';
import { createAccountsRepo } from './accounts/repo.ts';
import { createApp } from './app.ts';
import { answerClientErrors, containRequests } from './contain.ts';
import type { EdgeEnv } from './env.ts';
import type { Check } from './health.ts';
import { createMetrics } from './metrics.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createSoldOutFastPath } from './sold-out.ts';
import { createEdgeServices, type EdgeServiceOptions, type EdgeServices } from './services.ts';
import { startWaitingRoom, type WaitingRoomThread } from './room-supervisor.ts';

/** How long a draining edge still waits for requests on connections it had already accepted. */
const DRAIN_GRACE_MS = 500;
/**
 * Connections the kernel may hold for the edge before it accepts them (capped by `net.core.somaxconn`). Node's
 * default, 511, overflows when thousands of waiting-room sockets connect at once while the event loop is busy
 * with a crowd's requests; a refused handshake is retried by the client's kernel only after 1, 3, 7 s.
 */
const LISTEN_BACKLOG = 8192;

/** Readiness probes: each dependency answers a trivial request. Kafka is asked without retries. */
export function dependencyChecks(rt: Runtime): { checks: Record<string, Check>; close: () => Promise<void> } {
  const admin = createKafka(rt.config, rt.logger, 0).admin();
  const checks = {
    postgres: () => rt.sql`select 1`,
    redis: () => rt.redis.ping(),
    kafka: async () => {
      await admin.connect();
      return admin.describeCluster();
    },
  };
  return { checks, close: () => admin.disconnect() };
}

type ChecksOf = (probes: Record<string, Check>) => Record<string, Check>;

/**
 * The edge app wired to a runtime's clients; `checksOf` may add to or replace the dependency probes.
 * `close` releases what the app holds (probes, producer, subscription), not the runtime's clients.
 */
export async function edgeApp(
  rt: Runtime,
  o: EdgeServiceOptions & { checksOf?: ChecksOf; waitingRoomPort?: number; stopping?: AbortSignal } = {},
) {
  const probes = dependencyChecks(rt);
  const services: EdgeServices = await createEdgeServices(rt, o);
  const metrics = createMetrics({ openDrops: services.openDropFigures });
  const app = createApp({
    config: rt.config,
    logger: rt.logger,
    metrics,
    // One set of counters per database, so edges sharing a Redis count together and other systems apart.
    limits: createRateLimiter(rt.redis, `ratelimit:${databaseName(rt.config.DATABASE_URL)}`),
    checks: (o.checksOf ?? ((p) => p))({ ...probes.checks, search: () => services.catalog.engine.ping() }),
    accounts: createAccountsRepo(rt.sql),
    catalog: services.catalog,
    carts: services.carts,
    drops: services.drops,
    intents: services.intents,
    orders: services.orders,
    shipments: services.shipments,
    interest: services.interest,
    reports: services.reports,
    checkout: services.checkout,
    checkouts: services.checkouts,
    availability: services.availability,
    waitingRoom: { port: o.waitingRoomPort ?? rt.config.WS_PORT, publicUrl: rt.config.WS_PUBLIC_URL },
    ops: { figures: services.figures, audits: services.audits, stopping: o.stopping ?? new AbortController().signal },
  });
  return {
    app,
    services,
    metrics,
    close: async () => {
      await services.close();
      await probes.close();
    },
  };
}

/** The drop opener of an edge: its producer and drops over the runtime's PostgreSQL and Redis. */
export const dropOpenerFor = (rt: Runtime, services: EdgeServices) =>
  createDropOpener({
    sql: rt.sql,
    redis: rt.redis,
    commands: services.commands,
    drops: services.drops,
    logger: rt.logger,
  });

/** The listeners an edge opens, by the variables that set them: what to check before it starts. */
export function edgeListeners(config: Pick<Config, 'HOST' | 'PORT' | 'WS_PORT' | 'METRICS_HOST' | 'METRICS_PORT'>): Listener[] {
  const metrics = metricsListener(config);
  return [
    { name: 'PORT', host: config.HOST, port: config.PORT },
    { name: 'WS_PORT', host: config.HOST, port: config.WS_PORT },
    ...(metrics ? [metrics] : []),
  ];
}

export interface EdgeServer {
  url: string;
  /** Where /metrics is served: the API, or its own listener (METRICS_HOST, METRICS_PORT). */
  metricsUrl: string;
  /** The API it serves; routes mounted on it before its first request are served behind its middleware. */
  app: Hono<EdgeEnv>;
  waitingRoom: WaitingRoomThread;
  server: Server;
  services: EdgeServices;
  closers: Closer[];
}

/**
 * Serves the HTTP API and the waiting room, and runs the drop opener. Its closers drain: the opener
 * stops, sockets are told to go elsewhere, /readyz turns 503, the listener stops accepting, every
 * request on an accepted connection is answered (with `Connection: close`), then idle sockets close.
 */
export async function startEdge(
  rt: Runtime,
  o: EdgeServiceOptions & {
    port?: number;
    /** The waiting room's port (default WS_PORT; 0 for any free one). */
    waitingRoomPort?: number;
    host?: string;
  } = {},
): Promise<EdgeServer> {
  let draining = false;
  const stopping = new AbortController();
  const drainCheck: Check = () => (draining ? Promise.reject(new Error('shutting down')) : Promise.resolve());
  const host = o.host ?? rt.config.HOST;
  const room = await startWaitingRoom({
    config: rt.config,
    host,
    port: o.waitingRoomPort ?? rt.config.WS_PORT,
    backlog: LISTEN_BACKLOG,
    logger: rt.logger,
  });
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  try {
    const edge = await edgeApp(rt, {
      ...o,
      waitingRoomPort: room.port,
      stopping: stopping.signal,
      checksOf: (p) => ({ ...p, edge: drainCheck }),
    });
    const ownMetrics = metricsListener(rt.config);
    if (ownMetrics) metricsServer = await serveMetrics(ownMetrics, () => edge.metrics.text(), rt.logger);
    const soldOut = createSoldOutFastPath({
      intents: edge.services.intents,
      jwtSecret: rt.config.JWT_SECRET,
      metrics: edge.metrics,
      logger: rt.logger,
    });
    // The HTTP server answers a sold-out drop's crowd itself and hands every other request to the app.
    const withFastPath = (opts: ServerOptions, app: (req: IncomingMessage, res: ServerResponse) => unknown) =>
      createServer(
        opts,
        containRequests((req, res) => (soldOut(req, res) ? undefined : app(req, res)), rt.logger),
      );
    const server = createAdaptorServer({ fetch: edge.app.fetch, createServer: withFastPath as typeof createServer }) as Server;
    answerClientErrors(server, rt.logger);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: o.port ?? rt.config.PORT, host, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.prependListener('request', (_req, res) => {
      if (draining) res.setHeader('Connection', 'close');
    });
    const opener = dropOpenerFor(rt, edge.services).start();
    const { port: bound } = server.address() as AddressInfo;

    const closeHttp = async () => {
      draining = true;
      stopping.abort(); // live panels end
      await new Promise<void>((resolve, reject) => {
        const sweep = setInterval(() => server.closeIdleConnections(), DRAIN_GRACE_MS);
        // net.Server's close stops accepting but, unlike http.Server's, does not cut sockets whose request is unread.
        NetServer.prototype.close.call(server, (e?: Error) => {
          clearInterval(sweep);
          if (e) reject(e);
          else resolve();
        });
      });
    };
    const url = `http://${host}:${bound}`;
    const metrics = metricsServer;
    return {
      url,
      metricsUrl: metrics?.url ?? `${url}/metrics`,
      app: edge.app,
      waitingRoom: room,
      server,
      services: edge.services,
      closers: [
        { name: 'drop opener', close: () => opener.stop() },
        { name: 'waiting room', close: () => room.close() },
        { name: 'http', close: closeHttp },
        ...(metrics ? [metrics.closer] : []),
        { name: 'edge services', close: () => edge.close() },
      ],
    };
  } catch (err) {
    await metricsServer?.closer.close();
    await room.close();
    throw err;
  }
}
