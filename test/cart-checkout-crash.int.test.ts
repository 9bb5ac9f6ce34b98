import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAllCheckouts } from '../audit/index.ts';
import type { CompleteRequest } from '../checkout/index.ts';
import { edgeApp } from '../edge/server.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { startOrderWorker } from '../order-worker/index.ts';
import { repoUrl, runUntilCharged } from './child-process.ts';
import { checkoutClient, inventoryOf, shopper, stockedProduct, warehousesIn } from './checkout-fixtures.ts';
import { stripeAt, tag, testRuntime, testTopics } from './helpers.ts';

const rt = testRuntime();
let local: RunningStripeLocal;
let edge: Awaited<ReturnType<typeof edgeApp>>;
let topics: Awaited<ReturnType<typeof testTopics>>;

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  edge = await edgeApp(rt, { stripe: stripeAt(local.url) });
  topics = await testTopics(rt, 1);
});
afterAll(async () => {
  await topics?.drop();
  await edge?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/**
 * A process completing a checkout whose Stripe client kills it (SIGKILL, no clean-up at all) the moment the charge
 * has succeeded at Stripe, before the checkout could record it.
 */
const crashingCheckout = `
  import { connectCartCheckout } from ${JSON.stringify(repoUrl('checkout/index.ts'))};
  import { createRuntime } from ${JSON.stringify(repoUrl('platform/index.ts'))};
  const rt = createRuntime(undefined, 'crashing-checkout');
  const { checkout } = connectCartCheckout(rt, { stripe, logger: rt.logger, bookkeepingMax: 1, leaseMs: 1_000 });
  await checkout.complete(o.request);
`;

/** A shopper's open checkout of 2 units, ready to pay, and the request that pays for it. */
async function readyCheckout() {
  const [w] = await warehousesIn(rt, ['us-east']);
  const p = await stockedProduct(rt, [w!], [5], { price_cents: 3_000 });
  const s = await shopper(rt);
  const co = checkoutClient(edge.app, s);
  await co.add(p, 2);
  const { body } = await co.begin();
  const patched = await co.patch(body.checkout_id, { shipping_address_id: s.address_id });
  const request: CompleteRequest = {
    user_id: s.user_id,
    checkout_id: body.checkout_id,
    payment_method_id: 'pm_card_visa',
    expected_total_cents: patched.body.total_cents,
    idempotency_key: tag(),
  };
  return { co, p, w: w!, id: body.checkout_id, request };
}

/** Runs the crashing process on `request` and waits for its death. */
const crashWhilePaying = (request: CompleteRequest) => runUntilCharged(crashingCheckout, { stripeUrl: local.url, request });

/** An order worker whose checkout recovery looks every 200 ms, at payments of any age. */
const recoveringWorker = () =>
  startOrderWorker(rt, {
    topics: { intents: topics.intents, decisions: topics.decisions, deadLetters: topics.deadLetters, orderEvents: `test-order-events-${tag()}` },
    groupId: `test-order-worker-${tag()}`,
    stripe: stripeAt(local.url),
    relay: false,
    pendingGraceMs: 0,
    intervals: { checkoutRecoveryMs: 200 },
  });

const paymentsOf = (checkoutId: string) =>
  rt.sql<{ status: string }[]>`select status from payments where checkout_id = ${checkoutId}`;

describe('a process killed between the charge and the order', () => {
  it('is found by the audit, and the recovery completes the checkout into its order without charging again', async () => {
    const { co, p, w, id, request } = await readyCheckout();
    await crashWhilePaying(request);

    // Stripe took the money; the process died before it could write anything but the pending payment.
    expect(local.stats()).toMatchObject({ paymentIntentsCreated: 1, paymentIntentsSucceeded: 1 });
    expect(await paymentsOf(id)).toEqual([{ status: 'pending' }]);
    expect(await rt.sql`select 1 from orders where checkout_id = ${id}`).toHaveLength(0);
    const caught = await auditAllCheckouts({ sql: rt.sql, stripe: stripeAt(local.url), graceMs: 0 });
    expect(caught.violations).toContainEqual(expect.stringMatching(new RegExp(`checkout ${id}: charge \\S+ captured at the provider, recorded as pending`)));

    const worker = await recoveringWorker();
    try {
      await expect.poll(async () => (await co.get(id)).body.status, { timeout: 20_000, interval: 50 }).toBe('completed');
      expect(await paymentsOf(id)).toEqual([{ status: 'succeeded' }]);
      const [order] = await rt.sql`select status, total_cents::int from orders where checkout_id = ${id}`;
      expect(order).toEqual({ status: 'paid', total_cents: request.expected_total_cents });
      // The replayed charge came from Stripe's idempotency store: still one PaymentIntent, one success.
      expect(local.stats()).toMatchObject({ paymentIntentsCreated: 1, paymentIntentsSucceeded: 1 });
      expect(await inventoryOf(rt, p, w)).toEqual({ available: 3, reserved: 0 });
      await expect.poll(async () => (await co.cart()).body.items, { timeout: 10_000, interval: 50 }).toEqual([]);
      const again = await co.complete(id, { payment_method_id: 'pm_card_visa', expected_total_cents: request.expected_total_cents });
      expect(again).toMatchObject({ status: 409, body: { reason: 'completed' } });
    } finally {
      await worker.closer.close();
    }
    const audit = await auditAllCheckouts({ sql: rt.sql, stripe: stripeAt(local.url), graceMs: 0 });
    expect(audit.violations).toEqual([]);
  }, 60_000);

  it('refunds the charge when the checkout no longer holds its reservation', async () => {
    const { p, w, id, request } = await readyCheckout();
    await crashWhilePaying(request);
    // The reservation ends behind the saga's back (an operator, a bug): the checkout can no longer become an order.
    await rt.sql.begin(async (tx) => {
      await tx`update checkouts set status = 'released' where checkout_id = ${id}`;
      await tx`update checkout_reservations set status = 'released' where checkout_id = ${id}`;
      await tx`update inventory set available_count = available_count + 2, reserved_count = reserved_count - 2
               where product_id = ${p} and warehouse_id = ${w}`;
    });
    const worker = await recoveringWorker();
    try {
      await expect.poll(async () => (await paymentsOf(id))[0]?.status, { timeout: 20_000, interval: 50 }).toBe('refunded');
    } finally {
      await worker.closer.close();
    }
    expect(await rt.sql`select 1 from orders where checkout_id = ${id}`).toHaveLength(0);
    const [pi] = (await stripeAt(local.url).paymentIntents.search({ query: `metadata['checkout_id']:'${id}'` })).data;
    const full = await stripeAt(local.url).paymentIntents.retrieve(pi!.id, { expand: ['latest_charge'] });
    expect(full.latest_charge).toMatchObject({ refunded: true });
    const audit = await auditAllCheckouts({ sql: rt.sql, stripe: stripeAt(local.url), graceMs: 0 });
    expect(audit.violations).toEqual([]);
  }, 60_000);
});
