import { serve } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCatalog, startCatalogIndexer } from '../catalog/index.ts';
import { startEdge } from '../edge/index.ts';
import { startStripeLocal } from '../infra/index.ts';
import { stripeFromConfig } from '../checkout/index.ts';
import { startOrderWorker } from '../order-worker/index.ts';
import { type Closer, connectionClosers, createRuntime, loadConfig, onShutdown, startOrExit } from '../platform/index.ts';
import { createSequencer } from '../sequencer/index.ts';
import { bareApp, rawGone } from './bare.ts';
import { rowlockRoutes } from './rowlock.ts';

/** What the benchmark tells each engine process, as JSON in BENCH_CHILD. */
export interface EngineChildSpec {
  role: 'stripe' | 'edge' | 'sequencer' | 'worker' | 'indexer';
  /** Product events and the indexer's group matter to the indexer alone (default: product.events, catalog-indexer). */
  topics: { intents: string; decisions: string; orderEvents: string; deadLetters: string; productEvents?: string };
  groups: { sequencer: string; worker: string; indexer?: string };
}

/** What an engine process answers when ready: the edge its URLs (its own, the bare Hono app's, the raw answer's). */
export type EngineChildReady = {
  url?: string;
  bareUrl?: string;
  rawUrl?: string;
};

/**
 * One part of the engine in a process of its own, for `bench/drop.ts` and `bench/checkout.ts`: the local
 * Stripe-compatible server, the edge (with the row-lock baseline mounted, and for the ceilings a bare Hono app and a
 * raw Node answer on ports of their own), the sequencer, the order worker or the catalog indexer (no relay: the
 * worker's relays every topic), each on the benchmark's own topics. Sends `{type: 'ready'}`
 * when serving and shuts down cleanly on SIGTERM (so `--cpu-prof` writes its profile).
 */
const spec = JSON.parse(process.env.BENCH_CHILD ?? '{}') as EngineChildSpec;
const send = (m: Record<string, unknown>) => process.send?.({ ...m, type: 'ready' });

if (spec.role === 'stripe') {
  const stripe = await startStripeLocal({ port: 0 });
  const stop = () => void stripe.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  send({ url: stripe.url });
} else {
  const rt = createRuntime(await startOrExit(loadConfig), `bench-${spec.role}`);
  const closers: Closer[] = [];
  const ready: Record<string, unknown> = {};
  if (spec.role === 'edge') {
    const edge = await startEdge(rt, {
      port: 0,
      waitingRoomPort: 0,
      intentsTopic: spec.topics.intents,
      orderEventsTopic: spec.topics.orderEvents,
    });
    // The baseline behind the edge's own middleware, in its process: mounted before the first request.
    edge.app.route(
      '/api/v1/bench',
      rowlockRoutes({
        sql: rt.sql,
        stripe: stripeFromConfig(rt.config),
        jwtSecret: rt.config.JWT_SECRET,
        orderEventsTopic: spec.topics.orderEvents,
      }),
    );
    const bare = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: bareApp().fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    const raw = await new Promise<Server>((resolve) => {
      const s = createServer(rawGone).listen(0, '127.0.0.1', () => resolve(s));
    });
    const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    closers.push(
      ...edge.closers,
      ...Object.entries({ bare, raw }).map(([name, s]) => ({ name, close: () => new Promise<void>((r) => s.close(() => r())) })),
    );
    Object.assign(ready, { url: edge.url, bareUrl: urlOf(bare), rawUrl: urlOf(raw) });
  } else if (spec.role === 'sequencer') {
    const sequencer = createSequencer({
      kafka: rt.kafka,
      redis: rt.redis,
      logger: rt.logger,
      topics: { intents: spec.topics.intents, decisions: spec.topics.decisions, deadLetters: spec.topics.deadLetters },
      groupId: spec.groups.sequencer,
    });
    await sequencer.start();
    closers.push({ name: 'sequencer', close: () => sequencer.stop() });
  } else if (spec.role === 'indexer') {
    const catalog = await createCatalog(rt);
    const indexer = await startCatalogIndexer(rt, {
      catalog,
      topic: spec.topics.productEvents,
      groupId: spec.groups.indexer,
      deadLetterTopic: spec.topics.deadLetters,
      relay: false,
    });
    await indexer.ready;
    closers.push(indexer.closer, { name: 'catalog', close: () => catalog.close() });
  } else {
    const worker = await startOrderWorker(rt, {
      topics: spec.topics,
      groupId: spec.groups.worker,
    });
    closers.push(worker.closer);
  }
  onShutdown([...closers, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
  send(ready);
}
