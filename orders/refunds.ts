import type { PaymentGateway } from '../checkout/index.ts';
import { newId } from '../contracts/index.ts';
import type { Logger, Sql, Tx } from '../platform/index.ts';
import { announce } from './moves.ts';

/** A refund as the order shows it. */
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/** How long a new refund is left to the request that made it before the retry loop takes it up. */
const PENDING_GRACE_S = 30;
/** The longest wait between two attempts of a failed refund. */
const MAX_BACKOFF_S = 600;

/**
 * Records a refund of an order's payment, pending until the provider confirms it (in the caller's transaction);
 * answers its id. Nothing is recorded for an amount of 0.
 */
export async function recordRefund(
  tx: Tx,
  r: { order_id: string; amount_cents: number; currency: string; reason: string; return_id?: string },
): Promise<string | null> {
  if (r.amount_cents === 0) return null;
  const [payment] = await tx<{ payment_id: string }[]>`
    select payment_id from payments where order_id = ${r.order_id} and status in ('succeeded', 'refunded')
    order by created_at limit 1`;
  if (!payment) throw new Error(`order ${r.order_id} has no captured payment to refund`);
  const refund_id = newId();
  await tx`insert into refunds (refund_id, order_id, payment_id, return_id, amount_cents, currency, reason, status)
           values (${refund_id}, ${r.order_id}, ${payment.payment_id}, ${r.return_id ?? null}, ${r.amount_cents},
                   ${r.currency}, ${r.reason}, 'pending')`;
  return refund_id;
}

interface Due {
  refund_id: string;
  order_id: string;
  user_id: string;
  amount_cents: number;
  currency: string;
  reason: string;
  status: RefundStatus;
  provider_payment_id: string | null;
}

export interface RefundsDeps {
  sql: Sql;
  gateway: PaymentGateway;
  logger: Logger;
  /** Where `order.refunded` is announced. */
  topic: string;
}

/**
 * Refunds through the payment provider. A refund is recorded as succeeded only once the provider confirmed it
 * (then the payment's refunded amount grows and `order.refunded` is announced, once); a failed attempt stays
 * visible (failed, attempts, last_error) and is tried again, always under the refund's own idempotency key, so
 * however often and from however many processes it is tried, the money moves once.
 */
export function createRefunds(d: RefundsDeps) {
  async function fail(refundId: string, message: string): Promise<RefundStatus> {
    await d.sql`update refunds set status = 'failed', attempts = attempts + 1, last_error = ${message.slice(0, 1_000)},
                                   updated_at = now()
                where refund_id = ${refundId} and status <> 'succeeded'`;
    d.logger.warn({ refund_id: refundId, err: message }, 'refund not confirmed; will retry');
    return 'failed';
  }

  async function succeed(r: Due, providerRefundId: string | null): Promise<RefundStatus> {
    await d.sql.begin(async (tx) => {
      const [done] = await tx<{ payment_id: string }[]>`
        update refunds set status = 'succeeded', provider_refund_id = ${providerRefundId}, attempts = attempts + 1,
                           last_error = null, succeeded_at = now(), updated_at = now()
        where refund_id = ${r.refund_id} and status <> 'succeeded' returning payment_id`;
      if (!done) return;
      await tx`update payments set refunded_cents = least(amount_cents, refunded_cents + ${r.amount_cents}),
                                   status = case when refunded_cents + ${r.amount_cents} >= amount_cents then 'refunded'
                                                 else status end,
                                   updated_at = now()
               where payment_id = ${done.payment_id}`;
      await announce(tx, d.topic, {
        type: 'order.refunded',
        order_id: r.order_id,
        user_id: r.user_id,
        refund_id: r.refund_id,
        reason: r.reason,
        amount_cents: r.amount_cents,
        currency: r.currency,
        at: Date.now(),
      });
    });
    return 'succeeded';
  }

  /** Asks the provider for the refund (once more) and records the outcome; answers the refund's status. */
  async function settle(refundId: string): Promise<RefundStatus | undefined> {
    const [r] = await d.sql<Due[]>`
      select r.refund_id, r.order_id, o.user_id, r.amount_cents::float8 as amount_cents, r.currency, r.reason, r.status,
             p.provider_payment_id
      from refunds r join orders o using (order_id) join payments p on p.payment_id = r.payment_id
      where r.refund_id = ${refundId}`;
    if (!r || r.status === 'succeeded') return r?.status;
    if (r.provider_payment_id === null) return fail(r.refund_id, 'the payment has no provider payment id');
    const outcome = await d.gateway.refund({
      idempotency_key: `refund-${r.refund_id}`,
      provider_payment_id: r.provider_payment_id,
      amount_cents: r.amount_cents,
      metadata: { order_id: r.order_id, refund_id: r.refund_id, reason: r.reason },
    });
    const due = { ...r, currency: r.currency.trim() };
    return outcome.kind === 'refunded' ? succeed(due, outcome.provider_refund_id) : fail(r.refund_id, outcome.message);
  }

  /**
   * One pass of the retry loop: settles refunds not yet confirmed whose wait is over (30 s for a new one, then
   * doubling from 2 s after each failed attempt, at most 10 min). Answers how many it tried.
   */
  async function retryDue(limit = 50): Promise<number> {
    const due = await d.sql<{ refund_id: string }[]>`
      select refund_id from refunds
      where status <> 'succeeded'
        and updated_at <= now() - make_interval(secs => case when attempts = 0 then ${PENDING_GRACE_S}
                                                             else least(power(2, attempts), ${MAX_BACKOFF_S}) end)
      order by updated_at limit ${limit}`;
    for (const r of due) await settle(r.refund_id);
    return due.length;
  }

  return { settle, retryDue };
}

export type Refunds = ReturnType<typeof createRefunds>;
