import type { Sql } from '../../platform/index.ts';
import type { Clock } from '../steps.ts';

export interface CheckoutLoopOptions {
  sql: Sql;
  clock: Clock;
  /** Asks for a checkout's saga to be advanced soon (a saga runner's kick). */
  kick: (checkoutId: string) => void;
  batchSize?: number;
}

/**
 * One pass of the reservation sweeper: kicks every open checkout whose time is up by the clock, oldest first; its
 * saga releases the reservation (expired). Returns true when a whole batch was found (more may be waiting).
 */
export function createCheckoutSweeper(o: CheckoutLoopOptions): () => Promise<boolean> {
  const batchSize = o.batchSize ?? 500;
  return async () => {
    const due = await o.sql<{ checkout_id: string }[]>`
      select checkout_id from checkouts where status = 'open' and expires_at <= ${new Date(o.clock())}
      order by expires_at limit ${batchSize}`;
    for (const r of due) o.kick(r.checkout_id);
    return due.length === batchSize;
  };
}

/**
 * One pass of cart checkout recovery: kicks the checkouts whose saga may have stopped midway, which is every one
 * paying, or with a pending payment, for longer than `pendingGraceMs` (a charge whose outcome is unknown, a capture
 * without its order, a failed payment not yet reopened), completed without the cart's copy refreshed, or holding a
 * captured payment without an order after its reservation ended (to be refunded). Returns the number kicked.
 */
export function createCheckoutRecovery(o: CheckoutLoopOptions & { pendingGraceMs?: number }): () => Promise<number> {
  const graceMs = o.pendingGraceMs ?? 5_000;
  const batchSize = o.batchSize ?? 500;
  return async () => {
    const before = new Date(o.clock() - graceMs);
    const rows = await o.sql<{ checkout_id: string }[]>`
      select checkout_id from checkouts where status = 'paying' and updated_at <= ${before}
      union
      select checkout_id from payments where status = 'pending' and checkout_id is not null and created_at <= ${before}
      union
      select checkout_id from checkouts where status = 'completed' and cart_refreshed_at is null and completed_at <= ${before}
      union
      select p.checkout_id from payments p join checkouts c on c.checkout_id = p.checkout_id
      where p.status = 'succeeded' and p.order_id is null and c.status in ('released', 'expired')
      limit ${batchSize}`;
    for (const r of rows) o.kick(r.checkout_id);
    return rows.length;
  };
}
