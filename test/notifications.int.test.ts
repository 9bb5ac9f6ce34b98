import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type OrderEvent } from '../contracts/index.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { startNotifications, type Notifications } from '../notifications/index.ts';
import { createConsumerHarness, type ConsumerHarness } from './consumer-harness.ts';
import { stripeAt, testRuntime } from './helpers.ts';
import { createPaidOrder } from './order-fixtures.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let h: ConsumerHarness;
let notifications: Notifications;
let before: Awaited<ReturnType<typeof order>>;
const wait = { timeout: 20_000, interval: 100 };

const order = () => createPaidOrder(rt, stripeAt(local.url), { topic: h.topics.orderEvents });
const parcel = (warehouse_id: string) => ({
  shipment_id: newId(),
  warehouse_id,
  carrier: 'Parcelo',
  tracking_number: `PX${Date.now()}`,
  tracking_url: 'https://tracking.flashline.dev/parcelo/PX1',
});
/** Processed when every event produced before it is: an event of its own, on every partition. */
async function marker(): Promise<void> {
  const o = await order();
  await h.relay();
  await expect.poll(async () => (await h.mail()).has(`${o.order_id}.confirmation.eml`), wait).toBe(true);
}

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  h = await createConsumerHarness(rt, 1);
  before = await order(); // on the topic before the group first starts
  await h.relay();
  notifications = await startNotifications(rt, { topic: h.topics.orderEvents, groupId: h.groupId, deadLetterTopic: h.topics.deadLetters, mailer: h.mailer });
  await notifications.ready;
});
afterAll(async () => {
  await notifications?.closer.close();
  await h?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

describe('notifications', () => {
  it('confirms a paid order once, in text and HTML, and starts a new group at the end of the topic', async () => {
    const o = await order();
    await h.relay();
    const file = `${o.order_id}.confirmation.eml`;
    await expect.poll(async () => (await h.mail()).has(file), wait).toBe(true);
    const eml = (await h.mail()).get(file)!;
    expect(eml).toContain(`To: ${o.email}`);
    expect(eml).toContain('Subject: Your order');
    expect(eml).toContain('Content-Type: text/html');
    expect(eml).toContain(o.order_id);
    expect((await h.mail()).has(`${before.order_id}.confirmation.eml`)).toBe(false);
    expect((await h.mail()).size).toBe(1);
  });

  it('mails an event delivered twice only once', async () => {
    const o = await order();
    const [placed, paid] = (
      await rt.sql<{ payload: OrderEvent }[]>`
        select payload from outbox where topic = ${h.topics.orderEvents} and key = ${o.order_id} order by id`
    ).map((r) => r.payload);
    await h.relay();
    const file = join(h.mailDir, `${o.order_id}.confirmation.eml`);
    await expect.poll(() => stat(file).then(() => true, () => false), wait).toBe(true);
    const sent = (await stat(file)).mtimeMs;
    await h.produce(placed!, paid!, paid!);
    await marker();
    expect((await stat(file)).mtimeMs).toBe(sent);
    const [n] = await rt.sql<{ n: number }[]>`
      select count(*)::int as n from processed_events where consumer = ${h.groupId} and event_id = ${paid!.event_id}`;
    expect(n!.n).toBe(1);
  });

  it('tells of a parcel leaving with its tracking, its arrival, a cancellation and a refund', async () => {
    const o = await order();
    const p = parcel(o.warehouses[0]!);
    const base = { order_id: o.order_id, user_id: o.user_id, at: Date.now() };
    const refund_id = newId();
    await h.produce(
      { type: 'shipment.created', ...base, ...p },
      { type: 'shipment.shipped', ...base, ...p },
      { type: 'shipment.delivered', ...base, ...p },
      { type: 'order.cancelled', ...base, reason: 'asked', refund: { amount_cents: o.total_cents, currency: 'USD' } },
      { type: 'order.refunded', ...base, refund_id, reason: 'cancelled', amount_cents: o.total_cents, currency: 'USD' },
    );
    const names = [`${p.shipment_id}.shipped.eml`, `${p.shipment_id}.delivered.eml`, `${o.order_id}.cancelled.eml`, `${refund_id}.refund.eml`];
    await expect.poll(async () => [...(await h.mail()).keys()].filter((k) => names.includes(k)).length, wait).toBe(4);
    const mail = await h.mail();
    expect(mail.get(names[0]!)).toContain(p.tracking_url);
    expect(mail.get(names[0]!)).toContain(p.tracking_number);
    expect(mail.get(names[1]!)).toContain('delivered');
    expect(mail.get(names[2]!)).toContain('cancelled');
    expect(mail.get(names[3]!)).toContain('refund');
    expect([...mail.keys()].some((k) => k.includes('created'))).toBe(false);
  });

  it('dead-letters what it cannot read or whose order it does not know, and moves on', async () => {
    await h.produceRaw('x', 'not json');
    const stranger = newId();
    await h.produce({ type: 'order.paid', order_id: stranger, user_id: newId(), amount_cents: 1, currency: 'USD', at: Date.now() });
    await marker();
    await expect.poll(() => h.deadLetters.length, wait).toBe(2);
    expect(h.deadLetters.map((d) => d.reason)).toEqual([expect.stringMatching(/^not JSON/), `order ${stranger} is unknown here`]);
    expect(h.deadLetters[1]!.source).toMatchObject({ topic: h.topics.orderEvents, consumer: h.groupId });
  });

  it('keeps its place at the end of the topic when it stops before consuming anything', async () => {
    const h2 = await createConsumerHarness(rt, 2);
    const start = () => startNotifications(rt, { topic: h2.topics.orderEvents, groupId: h2.groupId, deadLetterTopic: h2.topics.deadLetters, mailer: h2.mailer });
    try {
      const first = await start();
      await first.ready;
      await first.closer.close(); // committed nothing of its own
      const o = await createPaidOrder(rt, stripeAt(local.url), { topic: h2.topics.orderEvents });
      await h2.relay();
      const again = await start();
      try {
        await expect.poll(async () => [...(await h2.mail()).keys()], wait).toEqual([`${o.order_id}.confirmation.eml`]);
      } finally {
        await again.closer.close();
      }
    } finally {
      await h2.close();
    }
  });
});
