import { AppError, type Sql } from '../platform/index.ts';
import { announce, lockOrder, moveOrder } from './moves.ts';
import { recordRefund, type Refunds } from './refunds.ts';
import { restock } from './restock.ts';

/**
 * The shopper's cancellation, until a parcel leaves: in one transaction under the order's lock the order becomes
 * cancelled, every unit goes back to the warehouse it left from (a drop's unit included), a refund of the whole
 * total is recorded and `order.cancelled` announced; then the provider is asked for the refund (a refund it does
 * not confirm is retried by the refund loop). A second cancellation changes nothing more. Throws not_found for
 * anyone but the owner, conflict while a drop order is being placed, once anything has shipped, and for a drop
 * order already refunded.
 */
export function createCancel(d: { sql: Sql; refunds: Refunds; topic: string }) {
  return async function cancel(userId: string, orderId: string): Promise<void> {
    const refundId = await d.sql.begin(async (tx) => {
      const o = await lockOrder(tx, orderId);
      if (!o || o.user_id !== userId) throw new AppError('not_found', 'no such order');
      if (o.status === 'cancelled') {
        const [open] = await tx<{ refund_id: string }[]>`
          select refund_id from refunds where order_id = ${orderId} and return_id is null and status <> 'succeeded'`;
        return open?.refund_id ?? null;
      }
      if (o.status === 'placed') {
        throw new AppError('conflict', 'the order is still being placed; try again in a moment', {
          details: { reason: 'placing', status: o.status },
        });
      }
      const [left] = await tx<{ n: number }[]>`
        select count(*)::int as n from shipments
        where order_id = ${orderId} and status in ('in_transit', 'out_for_delivery', 'delivered')`;
      if (o.status !== 'paid' || left!.n > 0) {
        // Past paid means a parcel has left, but for a drop order refunded because its hold was lost.
        throw new AppError('conflict', `the order can no longer be cancelled: it is ${o.status}`, {
          details: { reason: o.status === 'refunded' ? 'refunded' : 'shipped', status: o.status },
        });
      }
      await moveOrder(tx, o, 'cancelled', { reason: 'requested by the shopper' });
      const lines = await tx<{ product_id: string; warehouse_id: string | null; quantity: number }[]>`
        select product_id, warehouse_id, quantity from order_items where order_id = ${orderId}`;
      await restock(tx, lines);
      const refund = { amount_cents: o.total_cents, currency: o.currency };
      const refundId = await recordRefund(tx, { order_id: orderId, ...refund, reason: 'cancelled' });
      await announce(tx, d.topic, {
        type: 'order.cancelled',
        order_id: orderId,
        user_id: o.user_id,
        reason: 'requested by the shopper',
        refund,
        at: Date.now(),
      });
      return refundId;
    });
    if (refundId !== null) await d.refunds.settle(refundId);
  };
}
