import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnalytics, type Analytics } from '../analytics/index.ts';
import type { CatalogIndexer } from '../catalog/index.ts';
import { newId, type OrderEvent } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import { startStripeLocal } from '../infra/stripe-local/server.ts';
import { loadConfig } from '../platform/config.ts';
import { ensureTopics } from '../platform/kafka.ts';
import { createRuntime } from '../platform/runtime.ts';
import { startTestIndexer, word as letters } from './catalog-fixtures.ts';
import { createConsumerHarness, type ConsumerHarness } from './consumer-harness.ts';
import { bearer, json, signedIn, stripeAt, tag } from './helpers.ts';
import { createPaidOrder, type FixtureLine } from './order-fixtures.ts';

// The real path of a sale: order.paid → analytics → products.sales_count → triggers → product.events → indexer →
// search. This file's sessions write product events to a topic of its own, so its indexer sees only its events.
const local = await startStripeLocal({ port: 0 });
const productTopic = `test-product-events-${tag()}`;
const base = createRuntime(loadConfig({ ...process.env, STRIPE_API_BASE: local.url }));
const sql = postgres(base.config.DATABASE_URL, { max: 6, onnotice: () => {}, connection: { 'flashline.product_events_topic': productTopic } });
const rt = { ...base, sql };
const wait = { timeout: 30_000, interval: 200 };
let h: ConsumerHarness;
let analytics: Analytics;
let indexer: CatalogIndexer;
let edge: Awaited<ReturnType<typeof edgeApp>>;
let admin: { token: string };

beforeAll(async () => {
  h = await createConsumerHarness(rt, 1);
  const kafkaAdmin = rt.kafka.admin();
  await kafkaAdmin.connect();
  await ensureTopics(kafkaAdmin, [{ name: productTopic, partitions: 2 }]);
  await kafkaAdmin.disconnect();
  edge = await edgeApp(rt, { orderEventsTopic: h.topics.orderEvents });
  indexer = await startTestIndexer(rt, edge.services.catalog, productTopic, h.topics.deadLetters);
  analytics = await startAnalytics(rt, { topic: h.topics.orderEvents, groupId: h.groupId, deadLetterTopic: h.topics.deadLetters, flushIntervalMs: 60_000 });
  await Promise.all([indexer.ready, analytics.ready]);
  admin = await signedIn(rt, 'admin');
});
afterAll(async () => {
  await analytics?.closer.close();
  await indexer?.closer.close();
  await edge?.close();
  await h?.close();
  await sql`delete from outbox where topic = ${productTopic}`;
  await local.close();
  await sql.end();
  await base.sql.end();
  await base.redis.quit();
});

const order = (lines: FixtureLine[], like?: { products: string[]; warehouses: string[] }) =>
  createPaidOrder(rt, stripeAt(local.url), { topic: h.topics.orderEvents, lines, ...(like ? { like } : {}) });
const get = async <T>(path: string, token?: string) => {
  const res = await edge.app.request(path, { headers: token ? bearer(token) : {} });
  return { status: res.status, body: (await res.json()) as T };
};
const salesCount = async (productId: string) =>
  (await sql<{ n: string }[]>`select sales_count as n from products where product_id = ${productId}`)[0]!.n;
const today = () => new Date().toISOString().slice(0, 10);

describe('analytics', () => {
  it('counts sales per product and day, revenue per hour and sales_count, each event once', async () => {
    const first = await order([{ price_cents: 1_000, units: [2, 1] }]);
    const second = await order([{ price_cents: 1_000, units: [1, 0] }], first);
    await h.relay();
    const product = first.products[0]!;
    await expect.poll(() => salesCount(product), wait).toBe('4');
    const [paid] = await sql<{ payload: OrderEvent }[]>`
      select payload from outbox where key = ${second.order_id} and payload->>'type' = 'order.paid'`;
    await h.produce(paid!.payload, paid!.payload);
    const marker = await order([{ price_cents: 500, units: [1] }]);
    await h.relay();
    await expect.poll(() => salesCount(marker.products[0]!), wait).toBe('1');
    expect(await salesCount(product)).toBe('4');

    const sales = await get<{ sales: { product_id: string; day: string; units: number; orders: number; revenue_cents: number }[] }>(
      `/api/v1/admin/analytics/sales?product_id=${product}`,
      admin.token,
    );
    expect(sales).toMatchObject({ status: 200, body: { sales: [{ product_id: product, day: today(), units: 4, orders: 2, revenue_cents: 4_000 }] } });
    const revenue = await get<{ revenue: { orders: number; revenue_cents: number }[] }>('/api/v1/admin/analytics/revenue', admin.token);
    const total = revenue.body.revenue.reduce((s, r) => s + r.revenue_cents, 0);
    const [expected] = await sql<{ cents: number }[]>`
      select sum(amount_cents)::float8 as cents from payments
      where order_id = any(${[first.order_id, second.order_id, marker.order_id]}::uuid[])`;
    expect(total).toBeGreaterThanOrEqual(expected!.cents);
    expect(h.deadLetters).toEqual([]);
  });

  it('takes a cancelled order’s units off sales_count', async () => {
    const o = await order([{ price_cents: 1_000, units: [1, 1] }]);
    await h.relay();
    await expect.poll(() => salesCount(o.products[0]!), wait).toBe('2');
    const res = await edge.app.request(`/api/v1/orders/${o.order_id}/cancel`, { method: 'POST', headers: bearer(o.token) });
    expect(res.status).toBe(200);
    await h.relay();
    await expect.poll(() => salesCount(o.products[0]!), wait).toBe('0');
  });

  it('counts product views and cart adds and serves conversion per product', async () => {
    const o = await order([{ price_cents: 1_000, units: [1, 0] }]);
    const product = o.products[0]!;
    for (let i = 0; i < 4; i++) expect((await edge.app.request(`/api/v1/products/${product}`)).status).toBe(200);
    expect((await edge.app.request('/api/v1/cart/items', json({ product_id: product, quantity: 1 }))).status).toBe(200);
    await h.relay();
    await expect.poll(() => salesCount(product), wait).toBe('1');
    await expect.poll(() => analytics.flushOnce(), wait).toBeGreaterThanOrEqual(1);
    expect(await analytics.flushOnce()).toBe(0); // the counts moved once
    const conversion = await get<{ products: Record<string, unknown>[] }>(`/api/v1/admin/analytics/conversion?product_id=${product}`, admin.token);
    const [title] = await sql<{ title: string }[]>`select title from products where product_id = ${product}`;
    expect(conversion.body.products).toEqual([
      { product_id: product, title: title!.title, views: 4, cart_adds: 1, orders: 1, units: 1, view_to_cart: 0.25, cart_to_order: 1, view_to_order: 0.25 },
    ]);
  });

  it('ranks a product that sold first in search’s bestselling order, soon after the sale', async () => {
    const word = letters();
    const [a, b] = [newId(), newId()].sort() as [string, string]; // equals in sales rank by id
    const warehouses = [newId(), newId()];
    await sql`insert into warehouses ${sql(warehouses.map((warehouse_id, i) => ({ warehouse_id, name: `${word}-${i}`, region: 'test' })))}`;
    await sql`insert into products ${sql([a, b].map((product_id, i) => ({ product_id, sku: `${word}-${i}`, title: `${word} lamp ${i}`, price_cents: 1_000, currency: 'USD' })))}`;
    await sql`insert into inventory ${sql(warehouses.flatMap((warehouse_id) => [a, b].map((product_id) => ({ product_id, warehouse_id, available_count: 20 }))))}`;
    // Products in stock first, then by units sold: both in stock (the indexer has their stock), a before b.
    const ranked = async () =>
      (await get<{ products: { product_id: string; in_stock: boolean }[] }>(`/api/v1/products/search?q=${word}&sort=bestselling`)).body.products.map(
        (p) => `${p.product_id}:${p.in_stock}`,
      );
    await expect.poll(ranked, wait).toEqual([`${a}:true`, `${b}:true`]);
    await order([{ price_cents: 1_000, units: [3] }], { products: [b], warehouses });
    await h.relay();
    await expect.poll(ranked, { timeout: 60_000, interval: 250 }).toEqual([`${b}:true`, `${a}:true`]);
  }, 120_000);

  it('answers 400 naming a bad range and 403 to anyone but admins', async () => {
    for (const [path, field] of [
      ['sales?from=2026-02-30', 'from'],
      ['sales?from=2026-03-02&to=2026-03-01', 'from'],
      ['conversion?from=2024-01-01&to=2026-01-01', 'to'],
      ['revenue?from=yesterday', 'from'],
      ['sales?product=1', '(body)'],
    ]) {
      const res = await get<{ errors: { field: string }[] }>(`/api/v1/admin/analytics/${path}`, admin.token);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(JSON.stringify(res.body.errors)).toContain(field === '(body)' ? 'product' : field);
    }
    expect((await get('/api/v1/admin/analytics/sales', (await signedIn(rt)).token)).status).toBe(403);
  });
});
