import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { createKafka } from '../platform/clients.ts';
import type { Runtime } from '../platform/runtime.ts';
import type { Closer } from '../platform/shutdown.ts';
import { createAccountsRepo } from './accounts/repo.ts';
import { createApp } from './app.ts';
import type { Check } from './health.ts';
import { createMetrics } from './metrics.ts';

/** How long a draining edge still waits for requests on connections it had already accepted. */
const DRAIN_GRACE_MS = 500;

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

/** The edge app wired to a runtime's clients; `checksOf` may add to or replace the dependency probes. */
export function edgeApp(rt: Runtime, checksOf: ChecksOf = (p) => p) {
  const probes = dependencyChecks(rt);
  const app = createApp({
    config: rt.config,
    logger: rt.logger,
    metrics: createMetrics(),
    checks: checksOf(probes.checks),
    accounts: createAccountsRepo(rt.sql),
  });
  return { app, close: probes.close };
}

export interface EdgeServer {
  url: string;
  server: Server;
  closer: Closer;
}

/**
 * Serves the HTTP API. Its closer drains: /readyz turns 503, the listener stops accepting, every
 * request on an accepted connection is answered (with `Connection: close`), then idle sockets close.
 */
export async function startEdge(rt: Runtime, port = rt.config.PORT, host = rt.config.HOST): Promise<EdgeServer> {
  let draining = false;
  const drainCheck: Check = () => (draining ? Promise.reject(new Error('shutting down')) : Promise.resolve());
  const { app, close: closeProbes } = edgeApp(rt, (p) => ({ ...p, edge: drainCheck }));
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s)) as Server;
  });
  server.prependListener('request', (_req, res) => {
    if (draining) res.setHeader('Connection', 'close');
  });
  const { port: bound } = server.address() as AddressInfo;

  const close = async () => {
    draining = true;
    await new Promise<void>((resolve, reject) => {
      const sweep = setInterval(() => server.closeIdleConnections(), DRAIN_GRACE_MS);
      // net.Server's close stops accepting but, unlike http.Server's, does not cut sockets whose request is unread.
      NetServer.prototype.close.call(server, (e?: Error) => {
        clearInterval(sweep);
        if (e) reject(e);
        else resolve();
      });
    });
    await closeProbes();
  };
  return { url: `http://${host}:${bound}`, server, closer: { name: 'http', close } };
}
