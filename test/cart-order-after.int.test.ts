import { describe, expect, it } from 'vitest';
import type { CheckoutView, OrderAnswer } from '../checkout/index.ts';
import { shopper, stockedProduct, warehousesIn } from './checkout-fixtures.ts';
import { signedIn, tag } from './helpers.ts';
import { stockOf } from './order-fixtures.ts';
import { engineWithConsumersForFile, type EngineWithConsumers } from './engine-consumers.ts';

// A cart order after its checkout, through the public API on the whole engine: the order worker relays its events
// to the consumers of order.events, notifications and fulfillment (at 100,000 times real time).
let e: EngineWithConsumers;
engineWithConsumersForFile((started) => (e = started));
const wait = { timeout: 60_000, interval: 200 };
const mail = () => e.mail();

/** A shopper's cart checkout of `lines`, completed with a visa card; the order as answered. */
async function buy(token: string, addressId: string, lines: [string, number][]): Promise<OrderAnswer> {
  for (const [product_id, quantity] of lines) expect((await e.call('POST', '/api/v1/cart/items', token, { product_id, quantity })).status).toBe(200);
  const begun = await e.call('POST', '/api/v1/checkouts', token, undefined, { 'idempotency-key': tag() });
  expect(begun.status).toBe(201);
  const id = (begun.body as unknown as CheckoutView).checkout_id;
  const patched = await e.call('PATCH', `/api/v1/checkouts/${id}`, token, { shipping_address_id: addressId });
  expect(patched.status).toBe(200);
  const total = (patched.body as unknown as CheckoutView).total_cents;
  const done = await e.call('POST', `/api/v1/checkouts/${id}/complete`, token, { payment_method_id: 'pm_card_visa', expected_total_cents: total }, {
    'idempotency-key': tag(),
  });
  expect(done.status).toBe(201);
  return done.body as unknown as OrderAnswer;
}

describe('a cart order after its checkout', () => {
  it('is confirmed, cancelled with its stock back, or shipped from each warehouse, delivered, and partly returned and refunded', async () => {
    const [east, west] = (await warehousesIn(e.rt, ['us-east', 'us-west'])) as [string, string];
    const mug = await stockedProduct(e.rt, [east], [5], { price_cents: 2_000 });
    const lamp = await stockedProduct(e.rt, [west], [5], { price_cents: 3_000 });
    const [kept, gone] = await Promise.all([shopper(e.rt, 'US', 'NY'), shopper(e.rt, 'US', 'NY')]);

    const order = await buy(kept.token, kept.address_id, [
      [mug, 2],
      [lamp, 1],
    ]);
    expect(order).toMatchObject({ status: 'paid', totals: { subtotal_cents: 7_000 } });
    const cancelled = await buy(gone.token, gone.address_id, [[mug, 1]]);
    expect(await stockOf(e.rt, mug, east)).toBe(2);
    await expect.poll(mail, wait).toEqual([`${order.order_id}.confirmation.eml`, `${cancelled.order_id}.confirmation.eml`].sort());

    // Cancelled before anything leaves: refunded in full at the provider, its unit back where it came from.
    const cancel = await e.call('POST', `/api/v1/orders/${cancelled.order_id}/cancel`, gone.token);
    expect(cancel.body).toMatchObject({
      status: 'cancelled',
      refunds: [{ status: 'succeeded', amount: { amount_cents: cancelled.totals.total_cents } }],
    });
    expect(await stockOf(e.rt, mug, east)).toBe(3);

    // Shipped as a parcel per warehouse and delivered.
    await e.startFulfillment();
    await expect.poll(async () => (await e.orderOf(kept.token, order.order_id)).status, wait).toBe('delivered');
    const delivered = await e.orderOf(kept.token, order.order_id);
    expect(delivered.shipments.map((s) => [s.warehouse_id, s.status]).sort()).toEqual(
      [
        [east, 'delivered'],
        [west, 'delivered'],
      ].sort(),
    );
    expect(delivered.timeline.map((t) => t.status).at(-1)).toBe('delivered');
    expect((await e.orderOf(gone.token, cancelled.order_id)).shipments).toEqual([]);

    // One mug comes back: its price and its share of the tax are refunded, shipping is not; it is restocked.
    const asked = await e.call('POST', `/api/v1/orders/${order.order_id}/returns`, kept.token, {
      lines: [{ product_id: mug, quantity: 1, reason: 'chipped' }],
    });
    expect(asked.status).toBe(201);
    const admin = await signedIn(e.rt, 'admin');
    const received = await e.call('POST', `/api/v1/admin/returns/${(asked.body as { return_id: string }).return_id}/receive`, admin.token);
    expect(received.status).toBe(200);
    const after = await e.orderOf(kept.token, order.order_id);
    expect(after.status).toBe('partially_returned');
    const refund = after.refunds.find((r) => r.return_id !== null)!;
    // the goods' share of the tax, rounded down (orders/return-math.ts)
    const taxShare = Math.floor((order.totals.tax_cents * 2_000) / order.totals.subtotal_cents);
    expect(taxShare).toBeGreaterThan(0);
    expect(refund).toMatchObject({ status: 'succeeded', amount: { amount_cents: 2_000 + taxShare } });
    expect(await stockOf(e.rt, mug, east)).toBe(4);
    expect(e.stripe.stats().refunds).toBe(2);
    await expect.poll(async () => (await mail()).filter((f) => f.endsWith('.refund.eml')).length, wait).toBe(2);
  }, 180_000);
});
