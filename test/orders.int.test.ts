import { afterAll, describe, expect, it } from 'vitest';
import { newId, type OrderEvent } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import type { OrderSummary, OrderView, ReturnView } from '../orders/index.ts';
import { startStripeLocal } from '../infra/stripe-local/server.ts';
import { loadConfig } from '../platform/config.ts';
import { createRuntime } from '../platform/runtime.ts';
import { bearer, json, signedIn, stripeAt, tag } from './helpers.ts';
import { createPaidOrder, FIXTURE_STOCK, markDelivered, stockOf, type FixtureLine } from './order-fixtures.ts';

// The provider fails every request while `failing` is set.
let failing = false;
const local = await startStripeLocal({ port: 0, failureRate: 1, random: () => (failing ? 0 : 1) });
const stripe = stripeAt(local.url);
const rt = createRuntime(loadConfig({ ...process.env, STRIPE_API_BASE: local.url }));
const topic = `test-order-events-${tag()}`;
const { app, services, close } = await edgeApp(rt, { orderEventsTopic: topic });
const admin = await signedIn(rt, 'admin');
afterAll(async () => {
  await close();
  await local.close();
  await rt.redis.quit();
  await rt.sql.end();
});

const order = (o: { lines?: FixtureLine[]; user?: { user_id: string; token: string } } = {}) => createPaidOrder(rt, stripe, { topic, ...o });
/** A problem document, with the members these routes add. */
interface Problem {
  status: number | string;
  reason?: string;
  errors?: { field: string; message: string }[];
}
/** A request to the app; the body read as `T` when the status is 2xx, else as a problem. */
const call = async <T>(method: string, path: string, token?: string, body?: unknown) => {
  const init = body === undefined ? { method, headers: token ? bearer(token) : {} } : { ...json(body, token ? bearer(token) : {}), method };
  const res = await app.request(path, init);
  return { status: res.status, body: (await res.json()) as T & Problem };
};
const history = (query: string, token?: string) =>
  call<{ orders: OrderSummary[]; next_cursor: string | null }>('GET', `/api/v1/me/orders?${query}`, token);
const view = (orderId: string, token: string) => call<OrderView>('GET', `/api/v1/orders/${orderId}`, token);
const cancel = (orderId: string, token: string) => call<OrderView>('POST', `/api/v1/orders/${orderId}/cancel`, token);
const ids = (orders: { order_id: string }[]) => orders.map((o) => o.order_id);
const statuses = (v: OrderView) => v.timeline.map((t) => t.status);
/** The order events written for an order, in the order written. */
const eventsOf = async (orderId: string) =>
  (await rt.sql<{ payload: OrderEvent }[]>`select payload from outbox where topic = ${topic} and key = ${orderId} order by id`).map((r) => r.payload);
const chargeOf = async (pi: string) => {
  const got = await stripe.paymentIntents.retrieve(pi, { expand: ['latest_charge'] });
  return got.latest_charge as { amount_refunded: number };
};

describe('order history', () => {
  it('pages the shopper’s orders newest first, unmoved by orders placed meanwhile, filtered by status', async () => {
    const shopper = await signedIn(rt);
    const first = await order({ user: shopper });
    const second = await order({ user: shopper });
    const third = await order({ user: shopper });
    await order(); // someone else's
    const page1 = await history('limit=2', shopper.token);
    expect(page1.status).toBe(200);
    expect(ids(page1.body.orders)).toEqual([third.order_id, second.order_id]);
    expect(page1.body.orders[0]).toMatchObject({ status: 'paid', source: 'cart', item_count: 1, total: { amount_cents: third.total_cents, currency: 'USD' } });
    await order({ user: shopper }); // newer than every page
    const page2 = await history(`limit=2&cursor=${page1.body.next_cursor}`, shopper.token);
    expect(page2.body).toMatchObject({ orders: [{ order_id: first.order_id }], next_cursor: null });

    await rt.sql`update orders set status = 'shipped' where order_id = ${second.order_id}`;
    const shipped = await history('status=shipped', shopper.token);
    expect(ids(shipped.body.orders)).toEqual([second.order_id]);
  });

  it('answers 400 naming the parameter for a bad status, limit, cursor or an unknown one, and 401 without a token', async () => {
    const shopper = await signedIn(rt);
    for (const [q, field] of [['status=lost', 'status'], ['limit=0', 'limit'], ['limit=101', 'limit'], ['cursor=abc', 'cursor'], ['sort=asc', '(body)']]) {
      const res = await history(q!, shopper.token);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain(field === '(body)' ? 'sort' : field);
    }
    expect((await history('')).status).toBe(401);
  });

  it('shows an order in full to its owner only', async () => {
    const o = await order({ lines: [{ price_cents: 1_000, units: [2, 1] }] });
    const res = await view(o.order_id, o.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      order_id: o.order_id,
      status: 'paid',
      source: 'cart',
      items: [
        { line_no: 1, quantity: 2, warehouse_id: o.warehouses[0] },
        { line_no: 2, quantity: 1, warehouse_id: o.warehouses[1] },
      ],
      totals: { subtotal: { amount_cents: 3_000 }, shipping: { amount_cents: 500 }, tax: { amount_cents: 300 }, total: { amount_cents: 3_800 } },
      payment: { status: 'succeeded', amount: { amount_cents: 3_800 }, refunded: { amount_cents: 0 } },
      shipments: [],
      refunds: [],
      returns: [],
    });
    expect(statuses(res.body)).toEqual(['placed', 'paid']);
    const other = await signedIn(rt);
    expect((await view(o.order_id, other.token)).status).toBe(404);
  });
});

describe('cancellation', () => {
  it('refunds in full, puts every unit back where it came from, and happens once however often it is asked', async () => {
    const o = await order({ lines: [{ price_cents: 1_000, units: [2, 1] }] });
    const answers = await Promise.all(Array.from({ length: 4 }, () => cancel(o.order_id, o.token)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const again = await cancel(o.order_id, o.token);
    expect(again.body).toMatchObject({
      status: 'cancelled',
      refunds: [{ amount: { amount_cents: o.total_cents }, reason: 'cancelled', status: 'succeeded', attempts: 1 }],
      payment: { status: 'refunded', refunded: { amount_cents: o.total_cents } },
    });
    expect(statuses(again.body)).toEqual(['placed', 'paid', 'cancelled']);
    expect(await stockOf(rt, o.products[0]!, o.warehouses[0]!)).toBe(FIXTURE_STOCK);
    expect(await stockOf(rt, o.products[0]!, o.warehouses[1]!)).toBe(FIXTURE_STOCK);
    expect((await chargeOf(o.provider_payment_id)).amount_refunded).toBe(o.total_cents);
    expect((await eventsOf(o.order_id)).map((e) => e.type)).toEqual(['order.placed', 'order.paid', 'order.cancelled', 'order.refunded']);
  });

  it('answers 409 once a parcel has left, and 404 to anyone but the owner', async () => {
    const o = await order();
    expect((await cancel(o.order_id, (await signedIn(rt)).token)).status).toBe(404);
    await rt.sql`insert into shipments (shipment_id, order_id, warehouse_id, carrier, tracking_number, tracking_url, status)
                 values (${newId()}, ${o.order_id}, ${o.warehouses[0]!}, 'test', ${`T${tag()}`}, 'https://t.example/1', 'in_transit')`;
    await rt.sql`update orders set status = 'shipped' where order_id = ${o.order_id}`;
    const res = await cancel(o.order_id, o.token);
    expect(res).toMatchObject({ status: 409, body: { reason: 'shipped', status: 'shipped' } });
    expect(await stockOf(rt, o.products[0]!, o.warehouses[0]!)).toBe(FIXTURE_STOCK - 1);
  });

  it('keeps a refund the provider did not confirm visible as failed, and the loop retries it', async () => {
    const o = await order();
    failing = true;
    const res = await cancel(o.order_id, o.token).finally(() => (failing = false));
    expect(res.body).toMatchObject({ status: 'cancelled', refunds: [{ status: 'failed', attempts: 1 }], payment: { status: 'succeeded' } });
    expect(res.body.refunds[0]!.last_error).toMatch(/Injected failure/);
    expect((await eventsOf(o.order_id)).map((e) => e.type)).not.toContain('order.refunded');
    expect((await chargeOf(o.provider_payment_id)).amount_refunded).toBe(0);

    expect(await services.orders.retryRefunds()).toBe(0); // not due yet: it failed a moment ago
    await rt.sql`update refunds set updated_at = now() - interval '1 minute' where order_id = ${o.order_id}`;
    expect(await services.orders.retryRefunds()).toBeGreaterThanOrEqual(1);
    const after = await view(o.order_id, o.token);
    expect(after.body).toMatchObject({ refunds: [{ status: 'succeeded', attempts: 2, last_error: null }], payment: { status: 'refunded' } });
    expect((await chargeOf(o.provider_payment_id)).amount_refunded).toBe(o.total_cents);
    expect((await eventsOf(o.order_id)).filter((e) => e.type === 'order.refunded')).toHaveLength(1);
  });
});

describe('returns', () => {
  // Two mugs (1,000 each; one from each warehouse) and a lamp (3,000): subtotal 5,000, tax 500, shipping 500.
  const lines = [
    { price_cents: 1_000, units: [1, 1] },
    { price_cents: 3_000, units: [1] },
  ];
  const ask = (o: { order_id: string; token: string }, body: unknown) =>
    call<ReturnView>('POST', `/api/v1/orders/${o.order_id}/returns`, o.token, body);
  const receive = (returnId: string, token = admin.token) => call<ReturnView>('POST', `/api/v1/admin/returns/${returnId}/receive`, token);

  it('refunds each received return its share, shipping with the last, and restocks where the units left from', async () => {
    const o = await order({ lines });
    await markDelivered(rt, o.order_id);
    const mug = o.products[0]!;
    const lamp = o.products[1]!;
    const first = await ask(o, { lines: [{ product_id: mug, quantity: 1, reason: 'too small' }] });
    expect(first).toMatchObject({ status: 201, body: { status: 'requested', lines: [{ product_id: mug, quantity: 1, reason: 'too small' }], refund: null } });
    expect((await view(o.order_id, o.token)).body.returnable).toEqual([
      { product_id: mug, quantity: 1 },
      { product_id: lamp, quantity: 1 },
    ]);
    const received = await receive(first.body.return_id);
    expect(received.body).toMatchObject({ status: 'received', refund: { amount_cents: 1_100, status: 'succeeded' } });
    expect(await stockOf(rt, mug, o.warehouses[0]!)).toBe(FIXTURE_STOCK);
    expect(await stockOf(rt, mug, o.warehouses[1]!)).toBe(FIXTURE_STOCK - 1);
    expect((await receive(first.body.return_id)).body.refund).toMatchObject({ amount_cents: 1_100 }); // again: nothing more

    const rest = await ask(o, {
      lines: [
        { product_id: mug, quantity: 1, reason: 'too small too' },
        { product_id: lamp, quantity: 1, reason: 'changed my mind' },
      ],
    });
    expect((await receive(rest.body.return_id)).body.refund).toMatchObject({ amount_cents: o.total_cents - 1_100 });
    const after = await view(o.order_id, o.token);
    expect(after.body.status).toBe('returned');
    expect(statuses(after.body)).toEqual(['placed', 'paid', 'shipped', 'delivered', 'partially_returned', 'returned']);
    expect(after.body.payment).toMatchObject({ status: 'refunded', refunded: { amount_cents: o.total_cents } });
    expect(after.body.returns.map((r) => r.status)).toEqual(['received', 'received']);
    expect((await chargeOf(o.provider_payment_id)).amount_refunded).toBe(o.total_cents);
    expect(await stockOf(rt, mug, o.warehouses[1]!)).toBe(FIXTURE_STOCK);
    expect(await stockOf(rt, lamp, o.warehouses[0]!)).toBe(FIXTURE_STOCK);
    expect((await eventsOf(o.order_id)).map((e) => e.type).slice(2)).toEqual([
      'return.requested',
      'return.received',
      'order.refunded',
      'return.requested',
      'return.received',
      'order.refunded',
    ]);
  });

  it('never takes back more than was bought minus what returns asked for, and names the line', async () => {
    const o = await order({ lines });
    await markDelivered(rt, o.order_id);
    const mug = o.products[0]!;
    expect((await ask(o, { lines: [{ product_id: mug, quantity: 2, reason: 'x' }] })).status).toBe(201);
    const more = await ask(o, { lines: [{ product_id: mug, quantity: 1, reason: 'x' }] });
    expect(more).toMatchObject({ status: 409, body: { reason: 'too_many', errors: [{ field: 'lines.0.quantity' }] } });
    const stranger = await ask(o, { lines: [{ product_id: newId(), quantity: 1, reason: 'x' }] });
    expect(stranger).toMatchObject({ status: 400, body: { errors: [{ field: 'lines.0.product_id', message: 'is not in this order' }] } });
    const twice = await ask(o, {
      lines: [
        { product_id: mug, quantity: 1, reason: 'x' },
        { product_id: mug, quantity: 1, reason: 'y' },
      ],
    });
    expect(twice).toMatchObject({ status: 400, body: { errors: [{ field: 'lines.1.product_id' }] } });
    expect((await ask(o, { lines: [{ product_id: mug, quantity: 0, reason: '' }] })).body.errors!.map((e) => e.field).sort()).toEqual([
      'lines.0.quantity',
      'lines.0.reason',
    ]);
    const [n] = await rt.sql<{ n: number }[]>`select count(*)::int as n from returns where order_id = ${o.order_id}`;
    expect(n!.n).toBe(1);
  });

  it('takes returns only of a delivered order within the return window', async () => {
    const o = await order();
    const line = { lines: [{ product_id: o.products[0]!, quantity: 1, reason: 'x' }] };
    expect(await ask(o, line)).toMatchObject({ status: 409, body: { reason: 'not_delivered' } });
    expect((await view(o.order_id, o.token)).body.return_until).toBeNull();
    await markDelivered(rt, o.order_id, 31);
    const closed = Date.parse((await view(o.order_id, o.token)).body.return_until!);
    expect(Math.abs(closed - (Date.now() - 86_400_000))).toBeLessThan(60_000); // delivered 31 days ago, a 30-day window
    expect(await ask(o, line)).toMatchObject({ status: 409, body: { reason: 'return_window_closed' } });
    expect((await ask({ ...o, token: (await signedIn(rt)).token }, line)).status).toBe(404);
  });

  it('lets only admins receive returns', async () => {
    const o = await order();
    await markDelivered(rt, o.order_id);
    const r = await ask(o, { lines: [{ product_id: o.products[0]!, quantity: 1, reason: 'x' }] });
    expect((await receive(r.body.return_id, o.token)).status).toBe(403);
    expect((await receive(newId())).status).toBe(404);
  });
});
