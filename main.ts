import { startAnalytics } from './analytics/index.ts';
import { startCatalogIndexer } from './catalog/index.ts';
import { demoAccounts, seedDemo, startStripeLocal } from './infra/index.ts';
import { ensureDatabase, migrate, readMigrations } from './db/index.ts';
import { startEdge } from './edge/index.ts';
import { startFulfillment } from './fulfillment/index.ts';
import { startNotifications } from './notifications/index.ts';
import { startOrderWorker } from './order-worker/index.ts';
import { type Closer, connectionClosers, createRuntime, onShutdown, prepareTopics } from './platform/index.ts';
import { createSequencer } from './sequencer/index.ts';

/**
 * Every component in one process, for a laptop: prepares the database (migrations, demo data) and
 * the Kafka topics, then runs the edge, the sequencer, the order worker and the catalog indexer, and the local
 * Stripe-compatible server when payments point at it and nothing answers there.
 */
const rt = createRuntime(undefined, 'flashline');
const began = performance.now();
const step = (what: string) => console.log(`start: ${what} (${((performance.now() - began) / 1000).toFixed(1)} s)`);
const closers: Closer[] = [];

step('database');
await ensureDatabase(rt.config.DATABASE_URL);
await migrate(rt.sql, await readMigrations(), { onApply: (n) => step(`applied migration ${n}`) });
step('kafka topics');
await prepareTopics(rt);

const stripeUrl = rt.config.STRIPE_API_BASE === '' ? undefined : new URL(rt.config.STRIPE_API_BASE);
if (stripeUrl && ['127.0.0.1', 'localhost'].includes(stripeUrl.hostname)) {
  const answers = await fetch(stripeUrl).then(() => true, () => false);
  if (!answers) {
    const stripe = await startStripeLocal({ port: Number(stripeUrl.port), host: stripeUrl.hostname });
    step(`local Stripe-compatible server on ${stripe.url}`);
    closers.push({ name: 'stripe-local', close: () => stripe.close() });
  }
}

step('sequencer');
const sequencer = createSequencer({ kafka: rt.kafka, redis: rt.redis, logger: rt.logger });
await sequencer.start();
step('order worker');
const worker = await startOrderWorker(rt);
step('edge');
const edge = await startEdge(rt, { checkout: worker.checkoutHeldIntent });
step('notifications');
const notifications = await startNotifications(rt);
step('fulfillment');
const fulfillment = await startFulfillment(rt);
step('analytics');
const analytics = await startAnalytics(rt);
step('catalog indexer');
// The order worker's outbox relay publishes every topic, product events included: one relay polls the outbox.
const indexer = await startCatalogIndexer(rt, { catalog: edge.services.catalog, relay: false });
const demo = await seedDemo(rt.sql, edge.services.drops);
step('demo data');
// Stop taking work first, then the consumers (committing offsets), then payments and connections.
// The indexer stops before the edge services, whose catalog it uses.
closers.unshift(
  indexer.closer,
  ...edge.closers,
  notifications.closer,
  fulfillment.closer,
  analytics.closer,
  { name: 'sequencer', close: () => sequencer.stop() },
  worker.closer,
);
onShutdown([...closers, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);

const login = (who: { email: string; password: string }) =>
  `curl -s ${edge.url}/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"${who.email}","password":"${who.password}"}'`;
console.log(`
  flashline is up
    edge        ${edge.url}   (health ${edge.url}/readyz, metrics ${edge.url}/metrics)
    demo drop   ${edge.url}/api/v1/drops/${demo.drop_id}
    search      ${edge.url}/api/v1/products/search?q=headphones   (more products: npm run seed:catalog -- --products 100000)
    admin       ${demoAccounts.admin.email} / ${demoAccounts.admin.password}
    customer    ${demoAccounts.customer.email} / ${demoAccounts.customer.password}
  sign in:  ${login(demoAccounts.customer)}
  README's "Follow a drop" joins the demo drop and watches its waiting room.
`);
