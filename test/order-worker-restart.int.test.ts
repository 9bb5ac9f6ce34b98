import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../contracts/index.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { startOrderWorker } from '../order-worker/index.ts';
import { repoUrl, runUntilCharged } from './child-process.ts';
import { createWorkerHarness, type WorkerHarness } from './worker-harness.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';
import { stripeAt, testRuntime } from './helpers.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let h: WorkerHarness;

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  h = await createWorkerHarness(rt);
});

afterAll(async () => {
  await h?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/** The sequencer's word that the user holds a unit for two minutes, paying by card, shipping to their address. */
const reserve = (dropId: string, user: { user_id: string; address_id: string }, intentId: string) =>
  h.decide({
    drop_id: dropId,
    intent_id: intentId,
    user_id: user.user_id,
    status: 'reserved',
    hold_expires_at: Date.now() + 120_000,
    payment_method_id: 'pm_card_visa',
    shipping_address_id: user.address_id,
  });

/**
 * A worker in its own process whose Stripe client kills the process (SIGKILL, no clean-up at all) the moment a
 * charge has succeeded at Stripe, before the worker could record it.
 */
const crashingWorker = `
  import { startOrderWorker } from ${JSON.stringify(repoUrl('order-worker/index.ts'))};
  import { createRuntime } from ${JSON.stringify(repoUrl('platform/index.ts'))};
  await startOrderWorker(createRuntime(undefined, 'crashing-worker'), {
    ...o.worker, stripe, relay: false,
  });
`;

describe('order worker killed mid-saga', () => {
  it('resumes after a restart without charging twice', async () => {
    const drop = await createTestDrop(rt, { quantity: 1 });
    const [user] = await createTestUsers(rt, 1);
    const intent_id = newId();
    // What the crashing child is given as JSON; the restarted worker takes the rest.
    const { topics, groupId } = h.workerOptions();
    const worker = {
      topics,
      groupId,
      leaseMs: 1_000,
      consumer: { sessionTimeout: 6_000, heartbeatInterval: 500 },
      intervals: { expiryMs: 60_000, recoveryMs: 60_000, settlementMs: 60_000 },
    };
    await reserve(drop.drop_id, user!, intent_id);

    await runUntilCharged(crashingWorker, { stripeUrl: local.url, worker });

    // Stripe took the money; the worker died before it could write anything but the pending payment.
    expect(local.stats()).toMatchObject({ paymentIntentsCreated: 1, paymentIntentsSucceeded: 1 });
    const payments = () =>
      rt.sql<{ status: string }[]>`select status from payments where intent_id = ${intent_id}`;
    expect(await payments()).toEqual([{ status: 'pending' }]);
    expect(await rt.sql`select 1 from orders where intent_id = ${intent_id}`).toHaveLength(0);

    const restarted = await startOrderWorker(rt, {
      ...worker,
      intervals: { expiryMs: 60_000, recoveryMs: 200, settlementMs: 60_000, outboxMs: 50 },
      pendingGraceMs: 0,
      stripe: stripeAt(local.url),
    });
    try {
      const purchaseOf = () => h.commands.find((c) => c.type === 'purchase' && c.intent_id === intent_id);
      await expect.poll(purchaseOf, { timeout: 20_000, interval: 50 }).toBeDefined();
      const purchase = purchaseOf();
      expect(await payments()).toEqual([{ status: 'succeeded' }]);
      const [order] = await rt.sql<
        { order_id: string }[]
      >`select order_id from orders where intent_id = ${intent_id}`;
      expect(purchase).toMatchObject({ order_id: order!.order_id });
      // The replayed charge came from Stripe's idempotency store: still one PaymentIntent, one success.
      expect(local.stats()).toMatchObject({ paymentIntentsCreated: 1, paymentIntentsSucceeded: 1 });
      expect(local.stats().idempotentReplays).toBeGreaterThanOrEqual(1);
    } finally {
      await restarted.closer.close();
    }
  }, 60_000);

  it('leaves a charge whose outcome is unknown pending, and finishes it once the provider answers', async () => {
    const down = await startStripeLocal({ port: 0, failureRate: 1 });
    const drop = await createTestDrop(rt, { quantity: 1 });
    const [user] = await createTestUsers(rt, 1);
    const intent_id = newId();
    const common = {
      ...h.workerOptions(),
      pendingGraceMs: 0,
      intervals: { expiryMs: 60_000, recoveryMs: 200, settlementMs: 60_000, outboxMs: 50 },
    };
    const first = await startOrderWorker(rt, { ...common, stripe: stripeAt(down.url) });
    try {
      await reserve(drop.drop_id, user!, intent_id);
      await expect.poll(() => down.stats().injectedFailures, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    } finally {
      await first.closer.close();
      await down.close();
    }
    expect(await rt.sql`select status from payments where intent_id = ${intent_id}`).toEqual([
      { status: 'pending' },
    ]);
    await h.commandsCaughtUp(); // what the stopped worker sent is in h.commands by now
    expect(h.commands.some((c) => c.type !== 'close' && c.intent_id === intent_id)).toBe(false); // neither released nor purchased

    const before = local.stats().paymentIntentsCreated;
    const second = await startOrderWorker(rt, { ...common, stripe: stripeAt(local.url) });
    try {
      await expect
        .poll(() => h.commands.find((c) => c.type === 'purchase' && c.intent_id === intent_id), {
          timeout: 20_000,
          interval: 50,
        })
        .toBeDefined();
      expect(await rt.sql`select status from payments where intent_id = ${intent_id}`).toEqual([
        { status: 'succeeded' },
      ]);
      expect(local.stats().paymentIntentsCreated - before).toBe(1);
    } finally {
      await second.closer.close();
    }
  }, 60_000);
});
