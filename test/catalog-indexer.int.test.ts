import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CatalogIndexer } from '../catalog/index.ts';
import { edgeApp } from '../edge/server.ts';
import { ensureTopics } from '../platform/kafka.ts';
import { dropSearchIndex, engineRuntime, ENGINES, startTestIndexer, word } from './catalog-fixtures.ts';
import { bearer, json, signedIn, tag, testRuntime } from './helpers.ts';

// The real path: admin writes → outbox (triggers) → relay → Kafka → catalog indexer → search and page caches.
// Each engine's sessions write product events to a topic of their own, so its indexer sees only its events.
const base = testRuntime();
const admin = base.kafka.admin();
await admin.connect();
afterAll(async () => {
  await admin.disconnect();
  await base.redis.quit();
  await base.sql.end();
});

for (const { engine, available } of await ENGINES) describe.skipIf(!available)(`catalog indexer with ${engine}`, () => {
const topic = `test-product-events-${tag()}`;
const deadLetters = `test-dead-${tag()}`;
const sql = postgres(base.config.DATABASE_URL, {
  max: 4,
  onnotice: () => {},
  connection: { 'flashline.product_events_topic': topic },
});
const rt = engineRuntime({ ...base, sql }, engine);
let app: Awaited<ReturnType<typeof edgeApp>>['app'];
let close: () => Promise<void>;
let indexer: CatalogIndexer;
let token: string;

beforeAll(async () => {
  await ensureTopics(admin, [
    { name: topic, partitions: 4 },
    { name: deadLetters, partitions: 1 },
  ]);
  const edge = await edgeApp(rt);
  ({ app, close } = edge);
  indexer = await startTestIndexer(rt, edge.services.catalog, topic, deadLetters);
  await indexer.ready;
  token = (await signedIn(rt, 'admin')).token;
});
afterAll(async () => {
  await indexer?.closer.close();
  await close?.();
  await dropSearchIndex(rt);
  await admin.deleteTopics({ topics: [topic, deadLetters] }).catch(() => undefined);
  await sql`delete from outbox where topic = ${topic}`;
  await sql.end();
});

const put = (body: unknown): RequestInit => ({ ...json(body, bearer(token)), method: 'PUT' });
const getJson = async <T>(path: string): Promise<T> => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};
type Page = { title: string; price_cents: number; stock: { available: number; in_stock: boolean } };
type Found = { total: number; products: { product_id: string; title: string; price_cents: number; in_stock: boolean }[] };

/** How long a change may take to reach the reads. */
const wait = { timeout: 10_000, interval: 25 };

describe('changes', () => {
  it('brings every admin change to the product page and to search within 2 s', async () => {
    const w = word();
    const created = await app.request('/api/v1/admin/products', json({
      sku: `IDX-${tag()}`, title: `${w} field jacket`, price_cents: 9_900, currency: 'USD', brand: 'Tundra',
      category_path: ['Fashion', 'Jackets'],
    }, bearer(token)));
    expect(created.status).toBe(201);
    const { product_id } = (await created.json()) as { product_id: string };
    const wh = await app.request('/api/v1/admin/warehouses', json({ name: `wh-${tag()}`, region: 'eu' }, bearer(token)));
    const { warehouse_id } = (await wh.json()) as { warehouse_id: string };
    expect((await app.request('/api/v1/admin/inventory', put({ product_id, warehouse_id, available_count: 4 }))).status).toBe(200);

    // Both reads are cached now (search once the indexer saw the stock; the page right away).
    await vi.waitFor(async () => {
      const r = await getJson<Found>(`/api/v1/products/search?q=${w}`);
      expect(r.products).toEqual([expect.objectContaining({ product_id, in_stock: true })]);
    }, wait);
    expect((await getJson<Page>(`/api/v1/products/${product_id}`)).stock).toMatchObject({ available: 4, in_stock: true });

    const renamed = word();
    const updated = await app.request(`/api/v1/admin/products/${product_id}`, put({ title: `${renamed} rain jacket`, price_cents: 7_500 }));
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ product_id, title: `${renamed} rain jacket`, price_cents: 7_500 });
    await vi.waitFor(async () => {
      expect(await getJson<Page>(`/api/v1/products/${product_id}`)).toMatchObject({ title: `${renamed} rain jacket`, price_cents: 7_500 });
    }, wait);
    await vi.waitFor(async () => {
      const r = await getJson<Found>(`/api/v1/products/search?q=${renamed}`);
      expect(r.products).toEqual([expect.objectContaining({ product_id, price_cents: 7_500 })]);
      expect((await getJson<Found>(`/api/v1/products/search?q=${w}`)).total).toBe(0);
    }, wait);

    expect((await app.request('/api/v1/admin/inventory', put({ product_id, warehouse_id, available_count: 0 }))).status).toBe(200);
    await vi.waitFor(async () => {
      expect((await getJson<Page>(`/api/v1/products/${product_id}`)).stock).toMatchObject({ available: 0, in_stock: false });
      const r = await getJson<Found>(`/api/v1/products/search?q=${renamed}`);
      expect(r.products).toEqual([expect.objectContaining({ product_id, in_stock: false })]);
    }, wait);
  });

  it('announces stock moved by other components too (a drop taking units, written straight to the table)', async () => {
    const w = word();
    const res = await app.request('/api/v1/admin/products', json({
      sku: `IDX-${tag()}`, title: `${w} lantern`, price_cents: 2_000, currency: 'USD',
    }, bearer(token)));
    const { product_id } = (await res.json()) as { product_id: string };
    const wh = await app.request('/api/v1/admin/warehouses', json({ name: `wh-${tag()}`, region: 'eu' }, bearer(token)));
    const { warehouse_id } = (await wh.json()) as { warehouse_id: string };
    await app.request('/api/v1/admin/inventory', put({ product_id, warehouse_id, available_count: 3 }));
    await vi.waitFor(async () => {
      expect((await getJson<Page>(`/api/v1/products/${product_id}`)).stock.available).toBe(3);
      expect((await getJson<Found>(`/api/v1/products/search?q=${w}&in_stock=true`)).total).toBe(1);
    }, wait);
    await sql`update inventory set available_count = available_count - 3 where product_id = ${product_id}`;
    await vi.waitFor(async () => {
      expect((await getJson<Page>(`/api/v1/products/${product_id}`)).stock.available).toBe(0);
      expect((await getJson<Found>(`/api/v1/products/search?q=${w}&in_stock=true`)).total).toBe(0);
    }, wait);
  });

  it.skipIf(engine !== 'postgres')('parks a message that is not a product event on the dead-letter topic and carries on', async () => {
    const producer = base.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'x', value: '{"type":"product.renamed"}' }] });
    await producer.disconnect();
    const consumer = base.kafka.consumer({ groupId: `test-dead-reader-${tag()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetters, fromBeginning: true });
    const parked = await new Promise<{ reason: string; source: { topic: string } }>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          resolve(JSON.parse(message.value!.toString()) as { reason: string; source: { topic: string } });
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(parked.source.topic).toBe(topic);
    expect(parked.reason).toMatch(/type/);
  });
});

describe.skipIf(engine !== 'postgres')('admin product update', () => {
  it('answers 404 for an unknown product, 400 for bad or empty bodies, 409 for a SKU in use, 403 to customers', async () => {
    const ghost = '018f0000-0000-7000-8000-00000000dead';
    expect((await app.request(`/api/v1/admin/products/${ghost}`, put({ price_cents: 1 }))).status).toBe(404);
    const res = await app.request('/api/v1/admin/products', json({ sku: `IDX-${tag()}`, title: 't', price_cents: 1, currency: 'USD' }, bearer(token)));
    const { product_id } = (await res.json()) as { product_id: string };
    for (const bad of [{}, { price_cents: -1 }, { currency: 'usd' }, { color: 'red' }, { images: ['not a url'] }]) {
      expect((await app.request(`/api/v1/admin/products/${product_id}`, put(bad))).status, JSON.stringify(bad)).toBe(400);
    }
    const other = `IDX-${tag()}`;
    await app.request('/api/v1/admin/products', json({ sku: other, title: 't', price_cents: 1, currency: 'USD' }, bearer(token)));
    expect((await app.request(`/api/v1/admin/products/${product_id}`, put({ sku: other }))).status).toBe(409);
    const customer = (await signedIn(rt, 'customer')).token;
    const denied = await app.request(`/api/v1/admin/products/${product_id}`, { ...json({ price_cents: 2 }, bearer(customer)), method: 'PUT' });
    expect(denied.status).toBe(403);
    const ok = await app.request(`/api/v1/admin/products/${product_id}`, put({ brand: null, images: ['https://img.example.test/a.jpg'], attributes: { color: 'red' } }));
    expect(await ok.json()).toMatchObject({ brand: null, images: ['https://img.example.test/a.jpg'], attributes: { color: 'red' } });
  });
});
});
