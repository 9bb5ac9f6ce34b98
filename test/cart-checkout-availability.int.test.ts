import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePrefix, type CatalogIndexer } from '../catalog/index.ts';
import type { AvailabilityView } from '../checkout/index.ts';
import { edgeApp } from '../edge/server.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { ensureTopics } from '../platform/kafka.ts';
import { startTestIndexer } from './catalog-fixtures.ts';
import { checkoutClient, shopper, stockedProduct, warehousesIn, type Reply } from './checkout-fixtures.ts';
import { stripeAt, tag, testRuntime } from './helpers.ts';

// Stock changes reach the availability answer the catalog's way: inventory triggers → outbox → this test's
// product events topic → catalog indexer → the product's cached page dropped.
const base = testRuntime();
const topic = `test-product-events-${tag()}`;
const deadLetters = `test-dead-${tag()}`;
const sql = postgres(base.config.DATABASE_URL, { max: 6, onnotice: () => {}, connection: { 'flashline.product_events_topic': topic } });
const rt = { ...base, sql };
const admin = base.kafka.admin();
let local: RunningStripeLocal;
let edge: Awaited<ReturnType<typeof edgeApp>>;
let indexer: CatalogIndexer;

beforeAll(async () => {
  await admin.connect();
  await ensureTopics(admin, [
    { name: topic, partitions: 2 },
    { name: deadLetters, partitions: 1 },
  ]);
  local = await startStripeLocal({ port: 0 });
  edge = await edgeApp(rt, { stripe: stripeAt(local.url) });
  indexer = await startTestIndexer(rt, edge.services.catalog, topic, deadLetters);
  await indexer.ready;
});
afterAll(async () => {
  await indexer?.closer.close();
  await edge?.close();
  await local?.close();
  await admin.deleteTopics({ topics: [topic, deadLetters] }).catch(() => undefined);
  await admin.disconnect();
  await sql`delete from outbox where topic = ${topic}`;
  await sql.end();
  await base.redis.quit();
  await base.sql.end();
});

const availability = async (id: string, query: string): Promise<Reply<AvailabilityView>> => {
  const res = await edge.app.request(`/api/v1/products/${id}/availability?${query}`);
  return { status: res.status, body: (await res.json()) as Reply<AvailabilityView>['body'] };
};

describe('product availability', () => {
  it('answers units by warehouse and each option from the nearest warehouse with units', async () => {
    const [east, west, eu] = await warehousesIn(rt, ['us-east', 'us-west', 'eu-west']);
    const p = await stockedProduct(rt, [east!, west!, eu!], [0, 4, 6]);
    const res = await availability(p, 'country=us&region=NY');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      product_id: p,
      available: 10,
      currency: 'USD',
      destination: { country: 'US', region: 'NY', zone: 'us-east', continent: 'NA' },
    });
    expect(res.body.warehouses).toEqual(
      expect.arrayContaining([
        { warehouse_id: east, region: 'us-east', available: 0 },
        { warehouse_id: west, region: 'us-west', available: 4 },
        { warehouse_id: eu, region: 'eu-west', available: 6 },
      ]),
    );
    // from west (same country): standard 5 days 7.99, express 2 days 19.99
    expect(res.body.options.map((o) => [o.option, o.days, o.shipping_cents])).toEqual([
      ['standard', 5, 799],
      ['express', 2, 1_999],
    ]);
    const paris = await availability(p, 'country=FR');
    expect(paris.body.options.map((o) => o.days)).toEqual([3, 1]);
  });

  it('is served from the page cache and follows a reservation within moments', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    // Set up without product.events: an event of the set-up consumed late would drop the page cached below.
    const p = await stockedProduct(rt, [w!], [5], { quiet: true });
    expect((await availability(p, 'country=US')).body.available).toBe(5);
    const page = `${cachePrefix(base.config.DATABASE_URL)}:page:${p}`;
    await expect.poll(() => base.redis.exists(page), { timeout: 5_000, interval: 20 }).toBe(1); // written after the answer
    // a change the catalog is not told about is not seen: the answer comes from the cached page
    await base.sql.begin(async (tx) => {
      await tx`set local flashline.product_events = 'off'`;
      await tx`update inventory set available_count = 6 where product_id = ${p}`;
    });
    expect((await availability(p, 'country=US')).body.available).toBe(5);
    const s = await shopper(rt);
    const co = checkoutClient(edge.app, s);
    await co.add(p, 2);
    expect((await co.begin()).status).toBe(201);
    await expect.poll(async () => (await availability(p, 'country=US')).body.available, { timeout: 10_000, interval: 50 }).toBe(4);
  });

  it('refuses a missing or unserved country, unknown parameters and unknown products', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [1]);
    expect(await availability(p, '')).toMatchObject({ status: 400, body: { errors: [{ field: 'country' }] } });
    expect(await availability(p, 'country=USA')).toMatchObject({ status: 400, body: { errors: [{ field: 'country' }] } });
    expect(await availability(p, 'country=US&zip=1')).toMatchObject({ status: 400 });
    expect(await availability(p, 'country=AQ')).toMatchObject({ status: 422, body: { reason: 'no_shipping', errors: [{ field: 'country' }] } });
    expect((await availability('0190a0a0-0000-7000-8000-000000000001', 'country=US')).status).toBe(404);
    expect((await availability('nope', 'country=US')).status).toBe(404);
  });
});
