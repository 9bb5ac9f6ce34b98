import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropKeys, newId } from '../contracts/index.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { startOrderWorker, type OrderWorker } from '../order-worker/index.ts';
import { createWorkerHarness, type WorkerHarness } from './worker-harness.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';
import { stripeAt, testRuntime } from './helpers.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let stripe: Stripe;
let h: WorkerHarness;
let worker: OrderWorker;
let groupId: string;

/** The file's order worker; started again (`restartWorker`) it resumes where it left, in the same group. */
const startWorker = () =>
  startOrderWorker(rt, {
    ...h.workerOptions(),
    groupId,
    stripe,
    intervals: { expiryMs: 100, recoveryMs: 300, settlementMs: 200, outboxMs: 50 },
    resendAfterMs: 60_000,
  });

/**
 * Stops the worker once everything in hand is done (the decisions it read applied and committed, the sagas it
 * started finished, the relay stopped), then starts it again: whatever those would have done is done by now.
 */
async function restartWorker() {
  await worker.closer.close();
  worker = await startWorker();
}

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  stripe = stripeAt(local.url);
  h = await createWorkerHarness(rt);
  groupId = h.workerOptions().groupId!;
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.closer.close();
  await h?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/** A drop and a shopper with an address, owned by one test. */
async function setup(quantity = 5) {
  const drop = await createTestDrop(rt, { quantity });
  const [user] = await createTestUsers(rt, 1);
  const base = { drop_id: drop.drop_id, intent_id: newId(), user_id: user!.user_id };
  return { drop, user: user!, base };
}

const intentRow = async (id: string) =>
  (
    await rt.sql<{ status: string; decision_seq: string; release_requested_at: Date | null }[]>`
    select status, decision_seq, release_requested_at from drop_intents where intent_id = ${id}`
  )[0];
const reservation = async (id: string) =>
  (
    await rt.sql<
      { status: string; expires_at: Date }[]
    >`select status, expires_at from reservations where intent_id = ${id}`
  )[0];
const orderOf = async (id: string) =>
  (
    await rt.sql<
      { order_id: string; status: string; total_cents: string }[]
    >`
      select order_id, status, total_cents from orders where intent_id = ${id}`
  )[0];
const paymentsOf = (id: string) =>
  rt.sql<{ status: string; idempotency_key: string; amount_cents: string; failure_code: string | null }[]>`
    select status, idempotency_key, amount_cents, failure_code from payments where intent_id = ${id}`;
const eventTypes = async (orderId: string) =>
  (
    await rt.sql<
      { type: string }[]
    >`select type from order_events where order_id = ${orderId} order by created_at, event_id`
  ).map((e) => e.type);
const chargesFor = async (intentId: string) =>
  (await stripe.paymentIntents.search({ query: `metadata['intent_id']:'${intentId}'` })).data;
const commandFor = (intentId: string, type: 'purchase' | 'release') =>
  h.commands.find((c) => c.type === type && c.intent_id === intentId);
const later = (ms: number) => Date.now() + ms;
/** How long to wait for the worker to get somewhere. */
const wait = { timeout: 15_000, interval: 50 };

describe('reconciliation', () => {
  it('applies each decision once, ignoring duplicates and out-of-date seqs', async () => {
    const { base, drop } = await setup();
    const hold = later(60_000);
    await h.decide({ ...base, status: 'reserved', seq: 1, hold_expires_at: hold });
    await expect.poll(async () => (await intentRow(base.intent_id))?.status, wait).toBe('reserved');
    expect(await reservation(base.intent_id)).toMatchObject({ status: 'held', expires_at: new Date(hold) });

    await h.decide(
      { ...base, status: 'expired', seq: 3 },
      { ...base, status: 'reserved', seq: 2, hold_expires_at: later(90_000) },
      { ...base, status: 'expired', seq: 3 },
      { ...base, status: 'reserved', seq: 1, hold_expires_at: hold },
    );
    const marker = { ...base, intent_id: newId(), status: 'waitlisted' as const, seq: 4 };
    const [other] = await createTestUsers(rt, 1);
    await h.decide({ ...marker, user_id: other!.user_id });
    await expect.poll(() => intentRow(marker.intent_id), wait).toBeDefined();

    expect(await intentRow(base.intent_id)).toMatchObject({ status: 'expired', decision_seq: '3' });
    expect(await reservation(base.intent_id)).toMatchObject({ status: 'expired' });
    const [n] = await rt.sql<
      { n: number }[]
    >`select count(*)::int as n from drop_intents where drop_id = ${drop.drop_id}`;
    expect(n!.n).toBe(2);
  });

  it('parks malformed decisions and ones the database refuses, and moves on', async () => {
    const { base } = await setup();
    await h.produceRaw(base.drop_id, 'not json');
    await h.decide({
      ...base,
      intent_id: newId(),
      drop_id: newId(),
      status: 'reserved',
      seq: 1,
      hold_expires_at: later(60_000),
    });
    await h.decide({ ...base, status: 'waitlisted', seq: 1 });
    await expect.poll(async () => (await intentRow(base.intent_id))?.status, wait).toBe('waitlisted');
    await expect.poll(() => h.deadLetters.length, wait).toBeGreaterThanOrEqual(2);
    expect(h.deadLetters.map((d) => d.reason).join('\n')).toMatch(/not JSON[\s\S]*refused by the database/);
  });
});

describe('drop-order saga', () => {
  it('charges once, places a pending order, asks for the purchase, and confirms it once', async () => {
    const { base, user } = await setup();
    const paying = { ...base, payment_method_id: 'pm_card_visa', shipping_address_id: user.address_id };
    const hold = later(60_000);
    await h.decide({ ...paying, status: 'reserved', hold_expires_at: hold });
    await expect.poll(() => commandFor(base.intent_id, 'purchase'), wait).toBeDefined();
    const purchase = commandFor(base.intent_id, 'purchase');

    const order = (await orderOf(base.intent_id))!;
    expect(order).toMatchObject({ status: 'placed', total_cents: '12500' });
    expect(purchase).toMatchObject({ type: 'purchase', drop_id: base.drop_id, order_id: order.order_id });
    expect(await paymentsOf(base.intent_id)).toEqual([
      { status: 'succeeded', idempotency_key: base.intent_id, amount_cents: '12500', failure_code: null },
    ]);
    const charges = await chargesFor(base.intent_id);
    expect(charges.map((c) => [c.status, c.amount])).toEqual([['succeeded', 12_500]]);

    const purchased = {
      ...paying,
      status: 'purchased' as const,
      order_id: order.order_id,
      hold_expires_at: hold,
    };
    const [decided] = await h.decide(purchased);
    await expect.poll(async () => (await orderOf(base.intent_id))?.status, wait).toBe('paid');
    expect(await reservation(base.intent_id)).toMatchObject({ status: 'committed' });

    await expect
      .poll(() => h.events.filter((e) => e.order_id === order.order_id).map((e) => e.type), wait)
      .toEqual(expect.arrayContaining(['order.placed', 'order.paid']));

    // The same decision again (Kafka re-delivery) changes nothing: no second confirmation, no second order.paid.
    await h.decide({ ...purchased, seq: decided!.seq });
    const marker = await createTestUsers(rt, 1);
    const markerId = newId();
    await h.decide({
      drop_id: base.drop_id,
      intent_id: markerId,
      user_id: marker[0]!.user_id,
      status: 'waitlisted',
    });
    await expect.poll(() => intentRow(markerId), wait).toBeDefined(); // applied after the redelivered decision
    await worker.runOnce.recovery();
    // Marker for any saga the redelivery or that recovery pass started: the worker stops once they finished.
    await restartWorker();
    expect(await eventTypes(order.order_id)).toEqual(['placed', 'paid']);
    expect(await rt.sql`select 1 from outbox where key = ${order.order_id} and payload->>'type' = 'order.paid'`).toHaveLength(1);
    expect(await chargesFor(base.intent_id)).toHaveLength(1);
  });

  it('releases the unit with payment_failed when the card is declined, and places no order', async () => {
    const { base, user } = await setup();
    const paying = {
      ...base,
      payment_method_id: 'pm_card_chargeDeclined',
      shipping_address_id: user.address_id,
    };
    await h.decide({ ...paying, status: 'reserved', hold_expires_at: later(60_000) });
    await expect.poll(() => commandFor(base.intent_id, 'release'), wait).toBeDefined();
    expect(commandFor(base.intent_id, 'release')).toMatchObject({
      type: 'release',
      reason: 'payment_failed',
      drop_id: base.drop_id,
    });
    expect(await paymentsOf(base.intent_id)).toMatchObject([
      { status: 'failed', failure_code: 'generic_decline' },
    ]);
    expect(await orderOf(base.intent_id)).toBeUndefined();

    await h.decide({ ...paying, status: 'payment_failed' });
    await expect.poll(async () => (await reservation(base.intent_id))?.status, wait).toBe('released');
    expect(h.commands.filter((c) => c.type === 'release' && c.intent_id === base.intent_id)).toHaveLength(1);
  });

  it('refunds and never confirms when the hold was lost after the payment', async () => {
    const { base, user } = await setup();
    const paying = { ...base, payment_method_id: 'pm_card_visa', shipping_address_id: user.address_id };
    await h.decide({ ...paying, status: 'reserved', hold_expires_at: later(60_000) });
    await expect.poll(() => commandFor(base.intent_id, 'purchase'), wait).toBeDefined();
    const order = (await orderOf(base.intent_id))!;

    await h.decide({ ...paying, status: 'expired' }); // the sequencer: the hold expired before the purchase
    await expect.poll(async () => (await orderOf(base.intent_id))?.status, wait).toBe('refunded');
    expect(await paymentsOf(base.intent_id)).toMatchObject([{ status: 'refunded' }]);
    const [pi] = await chargesFor(base.intent_id);
    const charge = (await stripe.paymentIntents.retrieve(pi!.id, { expand: ['latest_charge'] }))
      .latest_charge as Stripe.Charge;
    expect(charge.amount_refunded).toBe(12_500);
    expect(await eventTypes(order.order_id)).toEqual(['placed', 'refunded']);
    expect(await rt.sql`select status, amount_cents::int as amount_cents from refunds where order_id = ${order.order_id}`).toEqual([
      { status: 'succeeded', amount_cents: 12_500 },
    ]);
    // Events are relayed in the order they were written: a payment written before the refund comes first.
    await expect
      .poll(() => h.events.some((e) => e.order_id === order.order_id && e.type === 'order.refunded'), wait)
      .toBe(true);
    expect(h.events.some((e) => e.order_id === order.order_id && e.type === 'order.paid')).toBe(false);
  });
});

describe('loops', () => {
  it('sends one release for a hold that expired, until the resend interval', async () => {
    const { base } = await setup();
    await h.decide({ ...base, status: 'reserved', hold_expires_at: Date.now() - 1_000 });
    await expect.poll(() => commandFor(base.intent_id, 'release'), wait).toBeDefined();
    expect(commandFor(base.intent_id, 'release')).toMatchObject({
      reason: 'expired',
      drop_id: base.drop_id,
      intent_id: base.intent_id,
    });
    // The command goes out first; when it was sent is recorded right after.
    await expect
      .poll(async () => (await intentRow(base.intent_id))?.release_requested_at, { timeout: 5_000, interval: 50 })
      .toBeInstanceOf(Date);
    // Marker: another expired hold of the drop, decided after that record. The expiry pass that releases it (and
    // records that, once sent) read the holds after the record, so it is a pass that would have sent ours again.
    const [other] = await createTestUsers(rt, 1);
    const next = { ...base, intent_id: newId(), user_id: other!.user_id };
    await h.decide({ ...next, status: 'reserved', hold_expires_at: Date.now() - 1_000 });
    await expect
      .poll(async () => (await intentRow(next.intent_id))?.release_requested_at, wait)
      .toBeInstanceOf(Date);
    await h.commandsCaughtUp();
    expect(commandFor(next.intent_id, 'release')).toBeDefined();
    expect(h.commands.filter((c) => c.type === 'release' && c.intent_id === base.intent_id)).toHaveLength(1);
  });

  it('returns unsold stock to inventory exactly once, when the drop has ended and nothing is held', async () => {
    const { drop } = await setup(5);
    const inventory = async () =>
      (
        await rt.sql<{ n: number }[]>`select available_count as n from inventory
                                     where product_id = ${drop.product_id} and warehouse_id = ${drop.warehouse_id}`
      )[0]!.n;
    const k = dropKeys(drop.drop_id).state;
    await rt.redis.hset(k, { status: 'ended', stock: 3, held: 1 });
    expect(await worker.runOnce.settlement()).toEqual([]);
    expect(await inventory()).toBe(0);

    await rt.redis.hset(k, { held: 0 });
    const passes = await Promise.all([
      worker.runOnce.settlement(),
      worker.runOnce.settlement(),
      worker.runOnce.settlement(),
    ]);
    await worker.runOnce.settlement();
    expect(passes.flat().filter((id) => id === drop.drop_id).length).toBeLessThanOrEqual(1);
    expect(await inventory()).toBe(3);
    const [row] = await rt.sql<{ status: string; settled_at: Date | null }[]>`
      select status, settled_at from drops where drop_id = ${drop.drop_id}`;
    expect(row!.status).toBe('ended');
    expect(row!.settled_at).not.toBeNull();
  });
});
