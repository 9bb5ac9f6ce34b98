import { startAnalytics } from './analytics/index.ts';
import { startCatalogIndexer } from './catalog/index.ts';
import { demoAccounts, seedDemo, startStripeLocal } from './infra/index.ts';
import { ensureDatabase, migrate, readMigrations } from './db/index.ts';
import { edgeListeners, startEdge } from './edge/index.ts';
import { startFulfillment } from './fulfillment/index.ts';
import { startNotifications } from './notifications/index.ts';
import { startOrderWorker } from './order-worker/index.ts';
import {
  assertPortsFree,
  type Closer,
  connectionClosers,
  createRuntime,
  loadConfig,
  onShutdown,
  prepareTopics,
  StartupError,
  startOrExit,
} from './platform/index.ts';
import { createSequencer } from './sequencer/index.ts';

/**
 * Every component in one process (`npm run start:app`, the Docker image): prepares the database (migrations) and
 * the Kafka topics, then runs the edge, the sequencer, the order worker and the catalog indexer, and the local
 * Stripe-compatible server when payments point at this machine and nothing answers there. With `--demo` (what
 * `npm start` passes, in development) it also loads the demo data and prints the demo accounts; production
 * refuses `--demo`, whose passwords are in this repository. A bad configuration, or a port another process
 * holds, ends it before it touches anything shared.
 */
const demo = process.argv.includes('--demo');
const began = performance.now();
const answers = (url: URL) => fetch(url, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
const step = (what: string) => console.log(`start: ${what} (${((performance.now() - began) / 1000).toFixed(1)} s)`);

const { config, localStripe } = await startOrExit(async () => {
  const c = loadConfig();
  if (demo && c.NODE_ENV === 'production') {
    throw new StartupError('--demo loads accounts whose passwords are published: it runs only with NODE_ENV=development or test');
  }
  const stripeUrl = c.STRIPE_API_BASE === '' ? undefined : new URL(c.STRIPE_API_BASE);
  const local =
    stripeUrl && ['127.0.0.1', 'localhost'].includes(stripeUrl.hostname) && !(await answers(stripeUrl))
      ? { name: 'STRIPE_API_BASE', host: stripeUrl.hostname, port: Number(stripeUrl.port || 80) }
      : undefined;
  await assertPortsFree([...edgeListeners(c), ...(local ? [local] : [])]);
  return { config: c, localStripe: local };
});
const rt = createRuntime(config, 'flashline');
const closers: Closer[] = [];

step('database');
await ensureDatabase(rt.config.DATABASE_URL);
await migrate(rt.sql, await readMigrations(), { onApply: (n) => step(`applied migration ${n}`) });
step('kafka topics');
await prepareTopics(rt);

if (localStripe) {
  const stripe = await startStripeLocal({ port: localStripe.port, host: localStripe.host });
  step(`local Stripe-compatible server on ${stripe.url}`);
  closers.push({ name: 'stripe-local', close: () => stripe.close() });
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
const demoDrop = demo ? await seedDemo(rt.sql, edge.services.drops) : undefined;
if (demo) step('demo data');
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
    edge        ${edge.url}   (health ${edge.url}/readyz, metrics ${edge.metricsUrl})
    shop        ${edge.url}/   (ops dashboard ${edge.url}/ops)
    search      ${edge.url}/api/v1/products/search?q=headphones   (more products: NODE_ENV=development npm run seed:catalog -- --products 100000)`);
if (demoDrop) {
  console.log(`    demo drop   ${edge.url}/drops/${demoDrop.drop_id}   (API ${edge.url}/api/v1/drops/${demoDrop.drop_id})
    admin       ${demoAccounts.admin.email} / ${demoAccounts.admin.password}
    customer    ${demoAccounts.customer.email} / ${demoAccounts.customer.password}
  sign in:  ${login(demoAccounts.customer)}
  README's "Follow a drop" joins the demo drop and watches its waiting room.`);
}
console.log('');
