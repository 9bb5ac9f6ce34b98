import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../contracts/index.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { createDropCheckout, type HeldCheckout } from '../checkout/index.ts';
import { startOrderWorker, type OrderWorker } from '../order-worker/index.ts';
import { createWorkerHarness, type WorkerHarness } from './worker-harness.ts';
import type { Closer } from '../platform/shutdown.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';
import { stripeAt, testRuntime } from './helpers.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let stripe: Stripe;
let h: WorkerHarness;
let worker: OrderWorker;
let edge: { checkoutHeldIntent: HeldCheckout; closer: Closer };

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  stripe = stripeAt(local.url);
  h = await createWorkerHarness(rt);
  h.answerPurchases(true);
  worker = await startOrderWorker(rt, {
    ...h.workerOptions(),
    stripe,
    intervals: { expiryMs: 200, recoveryMs: 300, settlementMs: 1_000, outboxMs: 50 },
  });
  // The edge's own instance, in another "process" as far as the saga is concerned.
  edge = await createDropCheckout(rt, {
    intentsTopic: h.topics.intents,
    orderEventsTopic: h.topics.orderEvents,
    stripe,
  });
});

afterAll(async () => {
  await edge?.closer.close();
  await worker?.closer.close();
  await h?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/** A shopper holding a unit of a fresh drop, without automatic payment. */
async function heldIntent(holdMs = 60_000) {
  const drop = await createTestDrop(rt, { quantity: 5 });
  const [user] = await createTestUsers(rt, 1);
  const intent_id = newId();
  await h.decide({
    drop_id: drop.drop_id,
    intent_id,
    user_id: user!.user_id,
    status: 'reserved',
    hold_expires_at: Date.now() + holdMs,
  });
  await expect
    .poll(async () => (await rt.sql`select 1 from drop_intents where intent_id = ${intent_id}`).length, {
      timeout: 15_000,
      interval: 50,
    })
    .toBe(1);
  const request = (key: string, payment_method_id = 'pm_card_visa') => ({
    user_id: user!.user_id,
    intent_id,
    payment_method_id,
    shipping_address_id: user!.address_id,
    idempotency_key: key,
  });
  return { intent_id, user: user!, request };
}

const charges = async (intentId: string) =>
  (await stripe.paymentIntents.search({ query: `metadata['intent_id']:'${intentId}'` })).data;
const count = async (table: 'payments' | 'orders', intentId: string) =>
  (
    await rt.sql<
      { n: number }[]
    >`select count(*)::int as n from ${rt.sql(table)} where intent_id = ${intentId}`
  )[0]!.n;

describe('checkoutHeldIntent', () => {
  it('pays once, confirms the order, and replays the same answer for the same key', async () => {
    const { intent_id, request } = await heldIntent();
    const first = await worker.checkoutHeldIntent(request('key-1'));
    expect(first).toMatchObject({ status: 'paid', total: { amount_cents: 12_500, currency: 'USD' } });
    expect(first.estimated_delivery).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const [order] = await rt.sql<
      { order_id: string; status: string }[]
    >`select order_id, status from orders where intent_id = ${intent_id}`;
    expect(order).toEqual({ order_id: first.order_id, status: 'paid' });

    expect(await worker.checkoutHeldIntent(request('key-1'))).toEqual(first);
    expect(await charges(intent_id)).toHaveLength(1);
    expect(await count('payments', intent_id)).toBe(1);
  });

  it('answers unprocessable when the same key comes with another body', async () => {
    const { request } = await heldIntent();
    await worker.checkoutHeldIntent(request('key-1'));
    await expect(worker.checkoutHeldIntent(request('key-1', 'pm_card_mastercard'))).rejects.toMatchObject({
      kind: 'unprocessable',
    });
  });

  it('charges once for 20 concurrent calls with one key, and gives each the same answer', async () => {
    const { intent_id, request } = await heldIntent();
    const calls = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? worker : edge).checkoutHeldIntent(request('same-key')),
    );
    const answers = await Promise.all(calls);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.status).toBe('paid');
    expect(await charges(intent_id)).toHaveLength(1);
    expect(await count('payments', intent_id)).toBe(1);
    expect(await count('orders', intent_id)).toBe(1);
  });

  it('answers gone for an expired hold and charges nothing', async () => {
    const { intent_id, request } = await heldIntent(-1_000);
    await expect(worker.checkoutHeldIntent(request('key-1'))).rejects.toMatchObject({ kind: 'gone' });
    expect(await charges(intent_id)).toHaveLength(0);
    expect(await count('payments', intent_id)).toBe(0);
  });

  it("answers not_found for another shopper's intent", async () => {
    const { request } = await heldIntent();
    const [stranger] = await createTestUsers(rt, 1);
    const req = {
      ...request('key-1'),
      user_id: stranger!.user_id,
      shipping_address_id: stranger!.address_id,
    };
    await expect(worker.checkoutHeldIntent(req)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('keeps the hold after a declined card, so another card with a new key can pay', async () => {
    const { intent_id, request } = await heldIntent();
    await expect(edge.checkoutHeldIntent(request('try-1', 'pm_card_chargeDeclined'))).rejects.toMatchObject({
      kind: 'unprocessable',
      details: { reason: 'card_declined', code: 'generic_decline' },
    });
    // The same key replays the decline without asking Stripe again.
    await expect(edge.checkoutHeldIntent(request('try-1', 'pm_card_chargeDeclined'))).rejects.toMatchObject({
      kind: 'unprocessable',
    });
    await h.commandsCaughtUp(); // a release sent for the decline would be in h.commands by now
    expect(h.commands.some((c) => c.type === 'release' && c.intent_id === intent_id)).toBe(false);
    const paid = await edge.checkoutHeldIntent(request('try-2'));
    expect(paid.status).toBe('paid');
    const statuses = (
      await rt.sql<
        { status: string }[]
      >`select status from payments where intent_id = ${intent_id} order by created_at`
    ).map((p) => p.status);
    expect(statuses).toEqual(['failed', 'succeeded']);
  });
});
