import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeApp } from '../edge/server.ts';
import { bearer, json, signedIn, tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const { app, close } = await edgeApp(rt);
let admin: string;
let customer: string;
beforeAll(async () => {
  admin = (await signedIn(rt, 'admin')).token;
  customer = (await signedIn(rt, 'customer')).token;
});
afterAll(async () => {
  await close();
  await rt.redis.quit();
  await rt.sql.end();
});

const product = () => ({ sku: `SKU-${tag()}`, title: 'Trail shoe', price_cents: 12_900, currency: 'USD', brand: 'Acme' });
const put = (body: unknown, token: string): RequestInit => ({ ...json(body, bearer(token)), method: 'PUT' });

describe('admin catalog routes', () => {
  it('answers 401 without a token and 403 to a customer, writing nothing', async () => {
    const p = product();
    expect((await app.request('/api/v1/admin/products', json(p))).status).toBe(401);
    const res = await app.request('/api/v1/admin/products', json(p, bearer(customer)));
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await rt.sql`select 1 from products where sku = ${p.sku}`).toHaveLength(0);
  });

  it('creates a product, a warehouse and stock, and announces the product on the outbox', async () => {
    const p = product();
    const created = await app.request('/api/v1/admin/products', json(p, bearer(admin)));
    expect(created.status).toBe(201);
    const { product_id } = (await created.json()) as { product_id: string };
    const wh = await app.request('/api/v1/admin/warehouses', json({ name: `wh-${tag()}`, region: 'eu' }, bearer(admin)));
    const { warehouse_id } = (await wh.json()) as { warehouse_id: string };
    const stock = await app.request('/api/v1/admin/inventory', put({ product_id, warehouse_id, available_count: 7 }, admin));
    expect(await stock.json()).toEqual({ product_id, warehouse_id, available_count: 7, reserved_count: 0 });
    const again = await app.request('/api/v1/admin/inventory', put({ product_id, warehouse_id, available_count: 3 }, admin));
    expect(((await again.json()) as { available_count: number }).available_count).toBe(3);
    const events = await rt.sql<{ type: string }[]>`
      select payload->>'type' as type from outbox where key = ${product_id} order by id`;
    expect(events.map((e) => e.type)).toEqual(['product.created', 'product.stock_changed', 'product.stock_changed']);
  });

  it('answers 409 for a SKU already used', async () => {
    const p = product();
    expect((await app.request('/api/v1/admin/products', json(p, bearer(admin)))).status).toBe(201);
    expect((await app.request('/api/v1/admin/products', json(p, bearer(admin)))).status).toBe(409);
  });

  it('answers 400 for a negative price, a float price or a lower-case currency, and 404 for unknown stock targets', async () => {
    for (const bad of [{ price_cents: -1 }, { price_cents: 10.5 }, { currency: 'usd' }]) {
      const res = await app.request('/api/v1/admin/products', json({ ...product(), ...bad }, bearer(admin)));
      expect(res.status).toBe(400);
    }
    const ghost = '018f0000-0000-7000-8000-00000000dead';
    const res = await app.request(
      '/api/v1/admin/inventory',
      put({ product_id: ghost, warehouse_id: ghost, available_count: 1 }, admin),
    );
    expect(res.status).toBe(404);
  });
});
