import { setTimeout as sleep } from 'node:timers/promises';
import { dropIntents } from '../admission/index.ts';
import { AppError } from '../platform/index.ts';
import { assertCheckoutAllowed } from './eligibility.ts';
import { createIdempotencyKeys, runOnce } from './idempotency.ts';
import { checkoutPaymentKey, requestHash } from './keys.ts';
import type { SagaLease } from './lease.ts';
import type { SagaDeps, Steps } from './steps.ts';
import { insertPendingPayment, loadIntent, paymentByKey, type Loaded } from './saga-repo.ts';

export interface CheckoutRequest {
  user_id: string;
  intent_id: string;
  payment_method_id: string;
  shipping_address_id: string;
  /** The request's Idempotency-Key header. */
  idempotency_key: string;
}

export interface CheckoutResult {
  order_id: string;
  /** `placed` only when the sequencer had not recorded the purchase within `confirmTimeoutMs`. */
  status: 'paid' | 'placed';
  total: { amount_cents: number; currency: string };
  /** `YYYY-MM-DD` */
  estimated_delivery: string;
}

/**
 * Pays for a held drop intent and places its order. Guarantees: one charge per (user, Idempotency-Key) however
 * many times and however concurrently it is called; the same key and body answer the first answer again; the
 * same key with another body throws `unprocessable`; at most one live payment per intent whatever the keys.
 * Throws AppError not_found (not the user's intent), gone (hold expired or ended, or it ended before the
 * purchase was recorded: then the payment is refunded), conflict (not reserved, already paid, a request with
 * this key still running), unprocessable (card declined, key reused), unavailable (payment provider down:
 * retry with the same key).
 */
export type HeldCheckout = (req: CheckoutRequest) => Promise<CheckoutResult>;

export interface CheckoutOptions {
  /** How long to wait for the sequencer's purchase decision before answering `pending`. Default 5 s. */
  confirmTimeoutMs?: number;
  /** How long a request waits for another one running under the same key. Default 10 s. */
  sameKeyWaitMs?: number;
  /** A claim on a key older than this, with no answer, belongs to a dead process and is taken over. Default 30 s. */
  staleClaimMs?: number;
}

type Deps = SagaDeps & {
  orderEventsTopic: string;
  steps: Steps;
  lease: SagaLease;
  options: CheckoutOptions;
};

const POLL_MS = 25;

export function createHeldCheckout(d: Deps): HeldCheckout {
  const keys = createIdempotencyKeys(d.sql, d.options.staleClaimMs ?? 30_000);
  const confirmTimeoutMs = d.options.confirmTimeoutMs ?? 5_000;
  const sameKeyWaitMs = d.options.sameKeyWaitMs ?? 10_000;

  const declined = (code: string | null) =>
    new AppError('unprocessable', 'The card was declined; try another card with a new Idempotency-Key.', {
      details: { reason: 'card_declined', code },
    });

  /** Charges (or resumes the charge of) this request's payment, then places the order and asks for the purchase. */
  async function pay(req: CheckoutRequest, paymentKey: string): Promise<void> {
    for (let i = 0; i < 6; i++) {
      const l = await loadIntent(d.sql, req.intent_id);
      const p = l?.payment;
      if (!l || p?.idempotency_key !== paymentKey) {
        const mine = await paymentByKey(d.sql, paymentKey);
        if (mine?.status === 'failed') throw declined(null);
        throw new AppError('conflict', 'Another payment for this intent is in progress.');
      }
      switch (p.status) {
        case 'pending': {
          const outcome = await d.steps.chargePayment(l, p);
          if (outcome.kind === 'declined') throw declined(outcome.code);
          if (outcome.kind !== 'succeeded') {
            throw new AppError(
              'unavailable',
              'The payment provider did not answer; retry with the same Idempotency-Key.',
              {
                retriable: true,
              },
            );
          }
          break;
        }
        case 'failed':
          throw declined(null);
        case 'refunded':
          return;
        case 'succeeded':
          if (l.snapshot.order === null) await d.steps.run({ kind: 'create_order' }, l);
          else return await askPurchase(l);
      }
    }
    throw new AppError('internal', 'Checkout did not settle.');
  }

  async function askPurchase(l: Loaded) {
    const o = l.snapshot.order;
    if (o?.status === 'placed' && l.snapshot.purchase_requested_at === null) {
      await d.steps.run({ kind: 'request_purchase' }, l);
    }
  }

  /** Waits for the order to leave `pending` (the sequencer's answer to the purchase), up to the timeout. */
  async function awaitOrder(intentId: string): Promise<CheckoutResult> {
    const until = Date.now() + confirmTimeoutMs;
    for (;;) {
      const [o] = await d.sql<
        {
          order_id: string;
          status: string;
          total_cents: number;
          currency: string;
          estimated_delivery: string;
        }[]
      >`
        select order_id, status, total_cents::float8 as total_cents, currency, coalesce(estimated_delivery::text, '') as estimated_delivery
        from orders where intent_id = ${intentId}`;
      if (!o) throw new AppError('gone', 'The hold on this intent ended before the payment completed.');
      if (o.status === 'refunded' || o.status === 'cancelled') {
        throw new AppError(
          'gone',
          'The hold on this intent ended before the purchase was recorded; the payment was refunded.',
        );
      }
      if (o.status !== 'placed' || Date.now() >= until) {
        return {
          order_id: o.order_id,
          status: o.status === 'placed' ? 'placed' : 'paid',
          total: { amount_cents: o.total_cents, currency: o.currency.trim() },
          estimated_delivery: o.estimated_delivery,
        };
      }
      await sleep(POLL_MS);
    }
  }

  async function perform(req: CheckoutRequest): Promise<CheckoutResult> {
    const paymentKey = checkoutPaymentKey(req.user_id, req.idempotency_key);
    const mine = await paymentByKey(d.sql, paymentKey);
    if (mine && (mine.intent_id !== req.intent_id || mine.payment_method_id !== req.payment_method_id)) {
      throw new AppError('unprocessable', 'This Idempotency-Key was used with a different request body.');
    }
    const check = async () => {
      const l = await loadIntent(d.sql, req.intent_id);
      if (mine) {
        if (l?.snapshot.user_id !== req.user_id) throw new AppError('not_found', 'No such intent.');
        return l;
      }
      assertCheckoutAllowed(l?.snapshot, req.user_id, d.clock());
      return l;
    };
    await check();
    if (!mine) {
      const [address] =
        await d.sql`select 1 from addresses where address_id = ${req.shipping_address_id} and user_id = ${req.user_id}`;
      if (!address)
        throw new AppError('invalid', 'No such shipping address.', {
          details: { field: 'shipping_address_id' },
        });
    }
    const owner = await d.lease.acquire(req.intent_id, 2_000);
    if (owner === undefined)
      throw new AppError('conflict', 'This intent is being processed; retry shortly.', { retriable: true });
    try {
      if (!mine) {
        const l = await check(); // again, under the lease: the intent may have changed meanwhile
        await dropIntents.setShippingAddress(d.sql, req.intent_id, req.shipping_address_id);
        const inserted = await insertPendingPayment(d.sql, {
          intent_id: req.intent_id,
          user_id: req.user_id,
          idempotency_key: paymentKey,
          amount_cents: l.drop.price_cents * l.snapshot.quantity,
          currency: l.drop.currency,
          payment_method_id: req.payment_method_id,
        });
        if (!inserted) throw new AppError('conflict', 'Another payment for this intent is in progress.');
      }
      await pay(req, paymentKey);
    } finally {
      await d.lease.release(req.intent_id, owner);
    }
    return awaitOrder(req.intent_id);
  }

  return (req) =>
    runOnce(
      keys,
      { user_id: req.user_id, key: req.idempotency_key, hash: requestHash(req), status: 201, waitMs: sameKeyWaitMs },
      () => perform(req),
    );
}
