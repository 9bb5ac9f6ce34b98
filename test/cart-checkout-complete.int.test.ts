import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEvent } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { checkoutClient, inventoryOf, shopper, stockedProduct, warehousesIn, type Shopper } from './checkout-fixtures.ts';
import { stripeAt, tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let stripe: Stripe;
let edge: Awaited<ReturnType<typeof edgeApp>>;

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  stripe = stripeAt(local.url);
  edge = await edgeApp(rt, { stripe });
});
afterAll(async () => {
  await edge?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

const visa = 'pm_card_visa';

/** A shopper in New York with an open checkout of `quantity` units of a product (price 2,500) in an east warehouse. */
async function readyCheckout(quantity = 2, s?: Shopper) {
  const [w] = await warehousesIn(rt, ['us-east']);
  const p = await stockedProduct(rt, [w!], [10], { price_cents: 2_500 });
  s ??= await shopper(rt, 'US', 'NY');
  const co = checkoutClient(edge.app, s);
  await co.add(p, quantity);
  const begun = await co.begin();
  const patched = await co.patch(begun.body.checkout_id, { shipping_address_id: s.address_id });
  expect(patched.status).toBe(200);
  return { s, co, p, w: w!, id: begun.body.checkout_id, total: patched.body.total_cents, view: patched.body };
}

const charges = async (checkoutId: string) =>
  (await stripe.paymentIntents.search({ query: `metadata['checkout_id']:'${checkoutId}'` })).data;

describe('completing a checkout', () => {
  it('charges once, makes a paid order with its events, sells the stock, empties the cart and replays for the key', async () => {
    const { s, co, p, w, id, total, view } = await readyCheckout(2);
    const key = tag();
    const res = await co.complete(id, { payment_method_id: visa, expected_total_cents: total }, key);
    expect(res.status).toBe(201);
    const order = res.body;
    expect(order).toMatchObject({
      status: 'paid',
      items: [{ product_id: p, quantity: 2, unit_price_cents: 2_500, line_total_cents: 5_000, warehouse_id: w }],
      totals: { subtotal_cents: 5_000, shipping_cents: view.shipping_cents, tax_cents: view.tax_cents, total_cents: total, currency: 'USD' },
      estimated_delivery: view.estimated_delivery,
    });

    const [row] = await rt.sql`
      select status, user_id, checkout_id, shipping_address_id, shipping_option, total_cents::int, estimated_delivery::text
      from orders where order_id = ${order.order_id}`;
    expect(row).toEqual({
      status: 'paid',
      user_id: s.user_id,
      checkout_id: id,
      shipping_address_id: s.address_id,
      shipping_option: 'standard',
      total_cents: total,
      estimated_delivery: view.estimated_delivery,
    });
    const timeline = await rt.sql<{ type: string }[]>`select type from order_events where order_id = ${order.order_id} order by created_at, event_id`;
    expect(timeline.map((e) => e.type)).toEqual(['placed', 'paid']);
    const outbox = await rt.sql<{ payload: unknown }[]>`select payload from outbox where key = ${order.order_id} order by id`;
    const events = outbox.map((o) => orderEvent.parse(o.payload));
    expect(events.map((e) => e.type)).toEqual(['order.placed', 'order.paid']);
    expect(events[0]).toMatchObject({ source: 'cart', total_cents: total, items: [{ product_id: p, quantity: 2, warehouse_id: w }] });
    expect(events[1]).toMatchObject({ amount_cents: total, currency: 'USD' });
    expect(await inventoryOf(rt, p, w)).toEqual({ available: 8, reserved: 0 });
    expect((await co.cart()).body.items).toEqual([]);
    expect((await co.get(id)).body).toMatchObject({ status: 'completed', order_id: order.order_id });
    expect(await charges(id)).toHaveLength(1);

    expect(await co.complete(id, { payment_method_id: visa, expected_total_cents: total }, key)).toEqual(res);
    expect(await co.complete(id, { payment_method_id: 'pm_card_mastercard', expected_total_cents: total }, key)).toMatchObject({ status: 422 });
    expect(await co.complete(id, { payment_method_id: visa, expected_total_cents: total })).toMatchObject({
      status: 409,
      body: { reason: 'completed', order_id: order.order_id },
    });
    expect(await charges(id)).toHaveLength(1);
  });

  it('takes out of the cart only what was bought', async () => {
    const { co, p, id, total } = await readyCheckout(2);
    const [w2] = await warehousesIn(rt, ['us-east']);
    const later = await stockedProduct(rt, [w2!], [5]);
    await co.add(p, 1); // raised to 3 while the checkout holds 2
    await co.add(later, 1);
    expect((await co.complete(id, { payment_method_id: visa, expected_total_cents: total })).status).toBe(201);
    const items = (await co.cart()).body.items.map((i) => [i.product_id, i.quantity]);
    expect(items).toEqual([
      [p, 1],
      [later, 1],
    ]);
  });

  it('charges nothing when the total moved, answers the differences, and takes the new total', async () => {
    const { co, p, id, total } = await readyCheckout(2);
    await rt.sql`update products set price_cents = 2600 where product_id = ${p}`;
    const moved = await co.complete(id, { payment_method_id: visa, expected_total_cents: total });
    expect(moved).toMatchObject({
      status: 409,
      body: {
        reason: 'total_changed',
        expected_total_cents: total,
        was: { subtotal_cents: 5_000, total_cents: total },
        now: { subtotal_cents: 5_200, currency: 'USD' },
        price_changes: [{ product_id: p, from_cents: 2_500, to_cents: 2_600 }],
      },
    });
    expect(await charges(id)).toHaveLength(0);
    const now = (moved.body as unknown as { now: { total_cents: number } }).now.total_cents;
    expect((await co.get(id)).body).toMatchObject({ status: 'open', subtotal_cents: 5_200, total_cents: now });
    const paid = await co.complete(id, { payment_method_id: visa, expected_total_cents: now });
    expect(paid).toMatchObject({ status: 201, body: { totals: { subtotal_cents: 5_200, total_cents: now } } });
  });

  it('keeps the reservation after a declined card, for another try with a new key', async () => {
    const { co, p, w, id, total } = await readyCheckout(1);
    const key = tag();
    const declined = await co.complete(id, { payment_method_id: 'pm_card_chargeDeclined', expected_total_cents: total }, key);
    expect(declined).toMatchObject({ status: 422, body: { reason: 'card_declined', code: 'generic_decline' } });
    expect((await co.get(id)).body.status).toBe('open');
    expect(await inventoryOf(rt, p, w)).toEqual({ available: 9, reserved: 1 });
    // the same key again: the same decline, no second charge attempt at a new key
    expect((await co.complete(id, { payment_method_id: 'pm_card_chargeDeclined', expected_total_cents: total }, key)).status).toBe(422);
    const paid = await co.complete(id, { payment_method_id: visa, expected_total_cents: total });
    expect(paid.status).toBe(201);
    expect(await inventoryOf(rt, p, w)).toEqual({ available: 9, reserved: 0 });
    const all = await charges(id);
    expect(all.map((c) => c.status).sort()).toEqual(['requires_payment_method', 'succeeded']);
  });

  it('answers 410 for an expired checkout and charges nothing', async () => {
    const { co, id, total } = await readyCheckout(1);
    await rt.sql`update checkouts set expires_at = now() - interval '1 second' where checkout_id = ${id}`;
    const res = await co.complete(id, { payment_method_id: visa, expected_total_cents: total });
    expect(res).toMatchObject({ status: 410, body: { reason: 'expired' } });
    expect(await charges(id)).toHaveLength(0);
  });

  it('needs an address first', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [3]);
    const co = checkoutClient(edge.app, await shopper(rt));
    await co.add(p, 1);
    const { body } = await co.begin();
    const res = await co.complete(body.checkout_id, { payment_method_id: visa, expected_total_cents: body.total_cents });
    expect(res).toMatchObject({ status: 409, body: { reason: 'no_address' } });
  });

  it('charges once for concurrent completes under one key, and answers them all the same', async () => {
    const { co, id, total } = await readyCheckout(1);
    const key = tag();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => co.complete(id, { payment_method_id: visa, expected_total_cents: total }, key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await charges(id)).toHaveLength(1);
    const [n] = await rt.sql<{ n: number }[]>`select count(*)::int as n from payments where checkout_id = ${id}`;
    expect(n!.n).toBe(1);
  });

  it('lets one of concurrent completes under different keys pay, and refuses the others', async () => {
    const { co, id, total } = await readyCheckout(1);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => co.complete(id, { payment_method_id: visa, expected_total_cents: total })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(409);
      expect(['payment_in_progress', 'completed']).toContain(a.body.reason);
    }
    expect(await charges(id)).toHaveLength(1);
  });
});
