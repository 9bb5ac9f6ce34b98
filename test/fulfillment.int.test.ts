import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import { startFulfillment, type Fulfillment, type ShipmentView } from '../fulfillment/index.ts';
import { startStripeLocal } from '../infra/stripe-local/server.ts';
import type { OrderView } from '../orders/index.ts';
import { loadConfig } from '../platform/config.ts';
import { createRuntime, type Runtime } from '../platform/runtime.ts';
import { createConsumerHarness, type ConsumerHarness } from './consumer-harness.ts';
import { bearer, signedIn, stripeAt } from './helpers.ts';
import { createPaidOrder } from './order-fixtures.ts';

const local = await startStripeLocal({ port: 0 });
const runtime = (speedup: number) =>
  createRuntime(loadConfig({ ...process.env, STRIPE_API_BASE: local.url, FULFILLMENT_SPEEDUP: String(speedup) }));
const wait = { timeout: 20_000, interval: 100 };
afterAll(() => local.close());

interface Parcel {
  shipment_id: string;
  warehouse_id: string;
  status: string;
  tracking_number: string;
  tracking_url: string;
}
const parcelsOf = (rt: Runtime, orderId: string) =>
  rt.sql<Parcel[]>`select shipment_id, warehouse_id, status, tracking_number, tracking_url from shipments
                   where order_id = ${orderId} order by warehouse_id`;
const statusOf = async (rt: Runtime, orderId: string) =>
  (await rt.sql<{ status: string }[]>`select status from orders where order_id = ${orderId}`)[0]!.status;
const eventsOf = async (rt: Runtime, h: ConsumerHarness, orderId: string) =>
  (await rt.sql<{ payload: OrderEvent }[]>`select payload from outbox where topic = ${h.topics.orderEvents} and key = ${orderId} order by id`).map(
    (r) => r.payload.type,
  );

/** Runs `fulfillment` on a harness of its own at `speedup` times real time, for one describe block. */
function withFulfillment(speedup: number) {
  const s = {} as { rt: Runtime; h: ConsumerHarness; f: Fulfillment };
  beforeAll(async () => {
    s.rt = runtime(speedup);
    s.h = await createConsumerHarness(s.rt, 1); // one partition: an event produced later is handled later
    s.f = await startFulfillment(s.rt, { topic: s.h.topics.orderEvents, groupId: s.h.groupId, deadLetterTopic: s.h.topics.deadLetters, scanIntervalMs: 100 });
    await s.f.ready;
  });
  afterAll(async () => {
    await s.f?.closer.close();
    await s.h?.close();
    await s.rt.redis.quit();
    await s.rt.sql.end();
  });
  return s;
}

describe('fulfillment at 100,000 times real time', () => {
  const s = withFulfillment(100_000);

  it('makes a parcel per warehouse of a paid order and scans both to the door, moving the order along', async () => {
    const { rt, h } = s;
    const o = await createPaidOrder(rt, stripeAt(local.url), { topic: h.topics.orderEvents, lines: [{ price_cents: 1_000, units: [2, 1] }] });
    await h.relay();
    await expect.poll(() => statusOf(rt, o.order_id), wait).toBe('delivered');
    const parcels = await parcelsOf(rt, o.order_id);
    expect(parcels.map((p) => [p.warehouse_id, p.status])).toEqual([...o.warehouses].sort().map((w) => [w, 'delivered']));
    expect(parcels[0]!.tracking_url).toContain(parcels[0]!.tracking_number);
    const scans = await rt.sql<{ status: string }[]>`
      select status from shipment_events where shipment_id = ${parcels[0]!.shipment_id} order by at, status`;
    expect(scans.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'out_for_delivery', 'delivered']);
    const timeline = await rt.sql<{ type: string }[]>`select type from order_events where order_id = ${o.order_id} order by created_at`;
    expect(timeline.map((t) => t.type).slice(-2)).toEqual(['shipped', 'delivered']);
    const types = await eventsOf(rt, h, o.order_id);
    for (const t of ['shipment.created', 'shipment.shipped', 'shipment.delivered']) expect(types.filter((x) => x === t)).toHaveLength(2);
  });

  it('makes nothing more for a paid order delivered again', async () => {
    const { rt, h } = s;
    const o = await createPaidOrder(rt, stripeAt(local.url), { topic: h.topics.orderEvents });
    await h.relay();
    await expect.poll(async () => (await parcelsOf(rt, o.order_id)).length, wait).toBe(1);
    const [paid] = await rt.sql<{ payload: OrderEvent }[]>`
      select payload from outbox where topic = ${h.topics.orderEvents} and key = ${o.order_id} and payload->>'type' = 'order.paid'`;
    await h.produce(paid!.payload);
    const later = await createPaidOrder(rt, stripeAt(local.url), { topic: h.topics.orderEvents });
    await h.relay();
    await expect.poll(async () => (await parcelsOf(rt, later.order_id)).length, wait).toBe(1);
    expect(await parcelsOf(rt, o.order_id)).toHaveLength(1);
    expect((await eventsOf(rt, h, o.order_id)).filter((t) => t === 'shipment.created')).toHaveLength(1);
    expect(h.deadLetters).toEqual([]);
    const [done] = await rt.sql<{ n: number }[]>`
      select count(*)::int as n from processed_events where consumer = ${h.groupId} and event_id = ${paid!.payload.event_id}`;
    expect(done!.n).toBe(1);
  });
});

describe('fulfillment at real time, with admins marking parcels', () => {
  const s = withFulfillment(1);
  let app: Awaited<ReturnType<typeof edgeApp>>;
  let admin: { token: string };
  beforeAll(async () => {
    app = await edgeApp(s.rt, { orderEventsTopic: s.h.topics.orderEvents });
    admin = await signedIn(s.rt, 'admin');
  });
  afterAll(() => app?.close());

  const mark = async (shipmentId: string, what: 'ship' | 'deliver', token = admin.token) => {
    const res = await app.app.request(`/api/v1/admin/shipments/${shipmentId}/${what}`, { method: 'POST', headers: bearer(token) });
    return { status: res.status, body: (await res.json()) as ShipmentView };
  };
  const paidOrder = async (units = [1, 1]) => {
    const o = await createPaidOrder(s.rt, stripeAt(local.url), { topic: s.h.topics.orderEvents, lines: [{ price_cents: 1_000, units }] });
    await s.h.relay();
    await expect.poll(async () => (await parcelsOf(s.rt, o.order_id)).length, wait).toBe(units.filter((n) => n > 0).length);
    return { ...o, parcels: await parcelsOf(s.rt, o.order_id) };
  };

  it('ships and delivers parcels an admin marks, moving the order through partially shipped', async () => {
    const o = await paidOrder();
    const [a, b] = [o.parcels[0]!, o.parcels[1]!];
    expect(await mark(a.shipment_id, 'ship')).toMatchObject({ status: 200, body: { status: 'in_transit' } });
    expect(await statusOf(s.rt, o.order_id)).toBe('partially_shipped');
    expect((await mark(a.shipment_id, 'ship')).body.status).toBe('in_transit'); // again: nothing more
    const delivered = await mark(b.shipment_id, 'deliver');
    expect(delivered.body.events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'delivered']);
    expect(await statusOf(s.rt, o.order_id)).toBe('shipped');
    await mark(a.shipment_id, 'deliver');
    const view = await app.app.request(`/api/v1/orders/${o.order_id}`, { headers: bearer(o.token) });
    const order = (await view.json()) as OrderView;
    expect(order.status).toBe('delivered');
    expect(order.timeline.map((t) => t.status)).toEqual(['placed', 'paid', 'partially_shipped', 'shipped', 'delivered']);
    expect(order.shipments.map((p) => p.status)).toEqual(['delivered', 'delivered']);
    expect(order.shipments[0]!.events.length).toBeGreaterThanOrEqual(3);
    expect((await eventsOf(s.rt, s.h, o.order_id)).filter((t) => t === 'shipment.shipped')).toHaveLength(2);
  });

  it('voids the labels of a cancelled order, which can then not be shipped', async () => {
    const o = await paidOrder([1, 0]);
    const cancel = await app.app.request(`/api/v1/orders/${o.order_id}/cancel`, { method: 'POST', headers: bearer(o.token) });
    expect(cancel.status).toBe(200);
    await s.h.relay();
    await expect.poll(async () => (await parcelsOf(s.rt, o.order_id))[0]!.status, wait).toBe('cancelled');
    expect((await mark(o.parcels[0]!.shipment_id, 'ship')).status).toBe(409);
    expect(await statusOf(s.rt, o.order_id)).toBe('cancelled');
  });

  it('lets only admins mark parcels, and answers 404 for an unknown one', async () => {
    const o = await paidOrder([1, 0]);
    expect((await mark(o.parcels[0]!.shipment_id, 'ship', o.token)).status).toBe(403);
    expect((await mark('0190a0a0-0000-7000-8000-000000000000', 'ship')).status).toBe(404);
  });

  it('dead-letters a paid order whose lines leave from no warehouse, and makes nothing for it', async () => {
    const o = await createPaidOrder(s.rt, stripeAt(local.url), { topic: s.h.topics.orderEvents });
    await s.rt.sql`update order_items set warehouse_id = null where order_id = ${o.order_id}`;
    await s.rt.sql`delete from inventory where product_id = any(${o.products}::uuid[])`;
    await s.h.relay();
    await expect.poll(() => s.h.deadLetters.map((d) => d.reason), wait).toContain(`order ${o.order_id} has a line that leaves from no warehouse`);
    expect(await parcelsOf(s.rt, o.order_id)).toEqual([]);
  });
});
