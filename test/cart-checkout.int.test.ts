import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeApp } from '../edge/server.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { checkoutClient, inventoryOf, shopper, stockedProduct, warehousesIn } from './checkout-fixtures.ts';
import { stripeAt, tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let edge: Awaited<ReturnType<typeof edgeApp>>;

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  edge = await edgeApp(rt, { stripe: stripeAt(local.url) });
});
afterAll(async () => {
  await edge?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

describe('starting a checkout', () => {
  it('reserves every line across warehouses, fewest shipments first, and replays the answer for the same key', async () => {
    const [east, west] = await warehousesIn(rt, ['us-east', 'us-west']);
    const a = await stockedProduct(rt, [east!, west!], [2, 5], { price_cents: 1_250 });
    const b = await stockedProduct(rt, [east!, west!], [9, 3]);
    const s = await shopper(rt);
    const co = checkoutClient(edge.app, s);
    expect((await co.add(a, 3)).status).toBe(200);
    expect((await co.add(b, 2)).status).toBe(200);

    const key = tag();
    const res = await co.begin(key);
    expect(res.status).toBe(201);
    // west has 3 of a and 2 of b: one shipment
    expect(res.body).toMatchObject({
      status: 'open',
      currency: 'USD',
      lines: [
        { product_id: a, quantity: 3, unit_price_cents: 1_250, line_total_cents: 3_750, allocations: [{ warehouse_id: west, quantity: 3 }] },
        { product_id: b, quantity: 2, unit_price_cents: 1_000, allocations: [{ warehouse_id: west, quantity: 2 }] },
      ],
      subtotal_cents: 5_750,
      shipping_cents: 0,
      tax_cents: 0,
      total_cents: 5_750,
      order_id: null,
    });
    const ttl = Date.parse(res.body.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    expect(await inventoryOf(rt, a, west!)).toEqual({ available: 2, reserved: 3 });
    expect(await inventoryOf(rt, b, west!)).toEqual({ available: 1, reserved: 2 });

    expect(await co.begin(key)).toEqual(res);
    expect(await inventoryOf(rt, a, west!)).toEqual({ available: 2, reserved: 3 });
  });
});

describe('a checkout of one shopper at a time', () => {
  it('releases the open checkout when a new one starts, so its units count for the new one', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [3]);
    const s = await shopper(rt);
    const co = checkoutClient(edge.app, s);
    await co.add(p, 3);
    const first = await co.begin();
    expect(first.status).toBe(201);
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 0, reserved: 3 });
    const second = await co.begin();
    expect(second.status).toBe(201);
    expect(second.body.checkout_id).not.toBe(first.body.checkout_id);
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 0, reserved: 3 });
    expect((await co.get(first.body.checkout_id)).body).toMatchObject({ status: 'released', lines: [{ allocations: [] }] });
  });

  it('refuses an empty cart, and a cart a line of which cannot be had, reserving nothing', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const plenty = await stockedProduct(rt, [w!], [10]);
    const scarce = await stockedProduct(rt, [w!], [4]);
    const s = await shopper(rt);
    const co = checkoutClient(edge.app, s);
    const empty = await co.begin();
    expect(empty).toMatchObject({ status: 409, body: { reason: 'empty_cart' } });

    await co.add(plenty, 2);
    const held = await co.begin();
    expect(held.status).toBe(201);
    await co.add(scarce, 3);
    // someone else buys two of the four meanwhile
    await rt.sql`update inventory set available_count = 2 where product_id = ${scarce}`;
    const refused = await co.begin();
    expect(refused).toMatchObject({
      status: 409,
      body: { reason: 'unavailable', problems: [{ product_id: scarce, kind: 'insufficient_stock', requested: 3, available: 2 }] },
    });
    // nothing changed: the open checkout still holds its units, none of the scarce product is reserved
    expect((await co.get(held.body.checkout_id)).body.status).toBe('open');
    expect(await inventoryOf(rt, plenty, w!)).toEqual({ available: 8, reserved: 2 });
    expect(await inventoryOf(rt, scarce, w!)).toEqual({ available: 2, reserved: 0 });
  });

  it('answers 404 for another shopper’s checkout and 400 without an Idempotency-Key', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [5]);
    const owner = checkoutClient(edge.app, await shopper(rt));
    const other = checkoutClient(edge.app, await shopper(rt));
    await owner.add(p, 1);
    const { body } = await owner.begin();
    expect((await other.get(body.checkout_id)).status).toBe(404);
    expect((await other.patch(body.checkout_id, { shipping_option: 'express' })).status).toBe(404);
    expect((await other.release(body.checkout_id)).status).toBe(404);
    expect((await other.get('not-a-uuid')).status).toBe(404);
    const noKey = await owner.call('POST', '/checkouts');
    expect(noKey).toMatchObject({ status: 400, body: { errors: [{ field: 'Idempotency-Key' }] } });
  });
});

describe('address and shipping', () => {
  it('re-allocates to the address’s zone, moves the reservations and prices every option', async () => {
    const [east, west] = await warehousesIn(rt, ['us-east', 'us-west']);
    const p = await stockedProduct(rt, [east!, west!], [5, 5], { price_cents: 10_000 });
    const s = await shopper(rt, 'US', 'CA');
    const co = checkoutClient(edge.app, s);
    await co.add(p, 2);
    const begun = await co.begin();
    // without an address the warehouse with more units, then the lower id, sends it
    const first = begun.body.lines[0]!.allocations[0]!.warehouse_id;
    const patched = await co.patch(begun.body.checkout_id, { shipping_address_id: s.address_id });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      shipping_address_id: s.address_id,
      shipping_option: 'standard',
      lines: [{ allocations: [{ warehouse_id: west, quantity: 2 }] }],
      subtotal_cents: 20_000,
      shipping_cents: 499,
      tax_cents: Math.floor(((20_000 + 499) * 725 + 5_000) / 10_000),
    });
    expect(patched.body.total_cents).toBe(20_000 + 499 + patched.body.tax_cents);
    expect(patched.body.estimated_delivery).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await inventoryOf(rt, p, west!)).toEqual({ available: 3, reserved: 2 });
    expect(await inventoryOf(rt, p, east!)).toEqual({ available: 5, reserved: 0 });
    expect([east, west]).toContain(first);

    const options = await co.options(begun.body.checkout_id);
    expect(options.status).toBe(200);
    expect(options.body.options.map((o) => [o.option, o.shipping_cents, o.days])).toEqual([
      ['standard', 499, 3],
      ['express', 1_499, 1],
    ]);
    const express = await co.patch(begun.body.checkout_id, { shipping_option: 'express' });
    expect(express.body).toMatchObject({ shipping_option: 'express', shipping_cents: 1_499, total_cents: options.body.options[1]!.total_cents });
  });

  it('ships from the fewest warehouses when its zone cannot send everything, one price per shipment', async () => {
    const [east, west, eu] = await warehousesIn(rt, ['us-east', 'us-west', 'eu-west']);
    const a = await stockedProduct(rt, [east!, west!, eu!], [0, 1, 4]);
    const b = await stockedProduct(rt, [east!, west!, eu!], [3, 0, 0]);
    const s = await shopper(rt, 'US', 'WA');
    const co = checkoutClient(edge.app, s);
    await co.add(a, 3);
    await co.add(b, 1);
    const { body } = await co.begin();
    const patched = await co.patch(body.checkout_id, { shipping_address_id: s.address_id, shipping_option: 'standard' });
    // west (its zone) first with its one unit of a, then eu for the other two of a, east for b
    const [ofA, ofB] = patched.body.lines.map((l) => l.allocations);
    expect(ofA).toHaveLength(2);
    expect(ofA).toEqual(
      expect.arrayContaining([
        { warehouse_id: west, quantity: 1 },
        { warehouse_id: eu, quantity: 2 },
      ]),
    );
    expect(ofB).toEqual([{ warehouse_id: east, quantity: 1 }]);
    // zone 499 + world 2999 + country 799
    expect(patched.body.shipping_cents).toBe(499 + 2_999 + 799);
  });

  it('refuses an address of someone else, a country nothing ships to, an option before an address', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [5]);
    const s = await shopper(rt);
    const co = checkoutClient(edge.app, s);
    await co.add(p, 1);
    const { body } = await co.begin();
    const id = body.checkout_id;
    expect(await co.patch(id, { shipping_option: 'express' })).toMatchObject({ status: 400, body: { errors: [{ field: 'shipping_address_id' }] } });
    const stranger = await shopper(rt);
    expect(await co.patch(id, { shipping_address_id: stranger.address_id })).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'shipping_address_id' }] },
    });
    const far = await shopper(rt, 'AQ', null);
    await rt.sql`update addresses set user_id = ${s.user_id} where address_id = ${far.address_id}`;
    expect(await co.patch(id, { shipping_address_id: far.address_id })).toMatchObject({
      status: 422,
      body: { reason: 'no_shipping', errors: [{ field: 'shipping_address_id' }] },
    });
    expect(await co.patch(id, {})).toMatchObject({ status: 400 });
    expect(await co.patch(id, { shipping_option: 'drone' })).toMatchObject({ status: 400, body: { errors: [{ field: 'shipping_option' }] } });
    expect(await co.options(id)).toMatchObject({ status: 409, body: { reason: 'no_address' } });
    expect((await co.get(id)).body).toMatchObject({ shipping_address_id: null, shipping_cents: 0, tax_cents: 0 });
  });
});

describe('releasing', () => {
  it('gives the units back once, and a released checkout can no longer change', async () => {
    const [w] = await warehousesIn(rt, ['us-east']);
    const p = await stockedProduct(rt, [w!], [5]);
    const s = await shopper(rt);
    const co = checkoutClient(edge.app, s);
    await co.add(p, 4);
    const { body } = await co.begin();
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 1, reserved: 4 });
    const released = await co.release(body.checkout_id);
    expect(released).toMatchObject({ status: 200, body: { status: 'released' } });
    expect(await co.release(body.checkout_id)).toMatchObject({ status: 200, body: { status: 'released' } });
    expect(await inventoryOf(rt, p, w!)).toEqual({ available: 5, reserved: 0 });
    expect(await co.patch(body.checkout_id, { shipping_address_id: s.address_id })).toMatchObject({ status: 410, body: { reason: 'released' } });
    const paid = await co.complete(body.checkout_id, { payment_method_id: 'pm_card_visa', expected_total_cents: 1 });
    expect(paid).toMatchObject({ status: 410, body: { reason: 'released' } });
    expect(local.stats().paymentIntentsCreated).toBe(0);
  });
});
