import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveReserved, StockShort } from '../checkout/cart/stock.ts';
import { edgeApp } from '../edge/server.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { startOrderWorker, type OrderWorker } from '../order-worker/index.ts';
import { checkoutClient, inventoryOf, shopper, stockedProduct, warehousesIn } from './checkout-fixtures.ts';
import { stripeAt, tag, testRuntime, testTopics } from './helpers.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let edge: Awaited<ReturnType<typeof edgeApp>>;
let topics: Awaited<ReturnType<typeof testTopics>>;
let worker: OrderWorker;

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  edge = await edgeApp(rt, { stripe: stripeAt(local.url) });
  topics = await testTopics(rt, 1);
  worker = await startOrderWorker(rt, {
    topics: { intents: topics.intents, decisions: topics.decisions, deadLetters: topics.deadLetters, orderEvents: `test-order-events-${tag()}` },
    groupId: `test-order-worker-${tag()}`,
    stripe: stripeAt(local.url),
    relay: false,
    intervals: { checkoutExpiryMs: 100 },
  });
});
afterAll(async () => {
  await worker?.closer.close();
  await topics?.drop();
  await edge?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

describe('stock under contention', () => {
  it('sells 30 units over 3 warehouses to 200 racing shoppers without overselling; each gets an order or a clear 409', async () => {
    const ws = await warehousesIn(rt, ['us-east', 'us-west', 'eu-west']);
    const p = await stockedProduct(rt, ws, [10, 10, 10], { price_cents: 1_000 });
    const shoppers = await Promise.all(Array.from({ length: 200 }, (_, i) => shopper(rt, i % 2 === 0 ? 'US' : 'FR', i % 2 === 0 ? 'CA' : null)));
    const wants = shoppers.map((_, i) => 1 + (i % 3));
    const outcomes = await Promise.all(
      shoppers.map(async (s, i) => {
        const co = checkoutClient(edge.app, s);
        expect((await co.add(p, wants[i]!)).status).toBe(200);
        const begun = await co.begin();
        if (begun.status !== 201) return { step: 'begin', status: begun.status, body: begun.body, units: 0 };
        const patched = await co.patch(begun.body.checkout_id, { shipping_address_id: s.address_id });
        expect(patched.status).toBe(200);
        const paid = await co.complete(begun.body.checkout_id, { payment_method_id: 'pm_card_visa', expected_total_cents: patched.body.total_cents });
        return { step: 'complete', status: paid.status, body: paid.body, units: wants[i]! };
      }),
    );
    const ordered = outcomes.filter((o) => o.status === 201);
    const refused = outcomes.filter((o) => o.status !== 201);
    // refused only at the start, for asking more than was left then
    for (const o of refused) {
      expect(o).toMatchObject({ step: 'begin', status: 409, body: { reason: 'unavailable', problems: [{ product_id: p, kind: 'insufficient_stock' }] } });
      const [problem] = o.body.problems as { requested: number; available: number }[];
      expect(problem!.available).toBeLessThan(problem!.requested);
    }
    expect(ordered.length).toBeGreaterThan(0);
    const sold = ordered.reduce((n, o) => n + o.units, 0);
    expect(sold).toBeLessThanOrEqual(30);
    const rows = await Promise.all(ws.map((w) => inventoryOf(rt, p, w)));
    expect(rows.every((r) => r!.reserved === 0 && r!.available >= 0)).toBe(true);
    expect(rows.reduce((n, r) => n + r!.available, 0)).toBe(30 - sold);
    const [items] = await rt.sql<{ n: number }[]>`select coalesce(sum(quantity), 0)::int as n from order_items where product_id = ${p}`;
    expect(items!.n).toBe(sold);
  }, 120_000);

  it('reserves the same product named twice as one sum, or not at all', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [5]);
    const twice = [
      { product_id: p, warehouse_id: w!, quantity: 3 },
      { product_id: p, warehouse_id: w!, quantity: 4 },
    ];
    await expect(rt.sql.begin((tx) => moveReserved(tx, twice))).rejects.toBeInstanceOf(StockShort);
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 5, reserved: 0 });
    await rt.sql`update inventory set available_count = 10 where product_id = ${p}`;
    await rt.sql.begin((tx) => moveReserved(tx, twice));
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 3, reserved: 7 });
  });
});

describe('the reservation sweeper', () => {
  it('releases a checkout within moments of its expiry', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [4]);
    const s = await shopper(rt);
    const co = checkoutClient(edge.app, s);
    await co.add(p, 3);
    const { body } = await co.begin();
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 1, reserved: 3 });
    await rt.sql`update checkouts set expires_at = now() where checkout_id = ${body.checkout_id}`;
    await expect.poll(async () => (await co.get(body.checkout_id)).body.status, { timeout: 10_000, interval: 50 }).toBe('expired');
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 4, reserved: 0 });
    const [r] = await rt.sql`select status from checkout_reservations where checkout_id = ${body.checkout_id}`;
    expect(r).toEqual({ status: 'released' });
  });
});
