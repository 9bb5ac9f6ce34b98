import type { PaymentStatus } from '../transitions.ts';

/**
 * A cart checkout's status. `open`: its stock is reserved and the shopper chooses the address, the shipping and
 * pays; `paying`: a payment is in flight (no edit, no release, no expiry until its outcome is known);
 * `completed`: it became an order; `released` (by the shopper, or by a newer checkout of theirs) and `expired`
 * (by the sweeper): its reservations went back to stock.
 */
export const checkoutStatuses = ['open', 'paying', 'completed', 'released', 'expired'] as const;
export type CheckoutStatus = (typeof checkoutStatuses)[number];

/** What the cart checkout saga knows of one checkout, read from PostgreSQL in one go. Times are epoch ms. */
export interface CheckoutSnapshot {
  checkout_id: string;
  status: CheckoutStatus;
  expires_at: number;
  /** Its live payment (pending, succeeded or refunded), else its latest failed one. */
  payment: { payment_id: string; status: PaymentStatus } | null;
  order_id: string | null;
  /** After the order: whether the Redis copy of the shopper's cart has been brought up to date. */
  cart_refreshed: boolean;
}

/** The one next thing to do for a checkout. */
export type CheckoutStep =
  /** Learn the outcome of the pending payment at the provider (the same request under the same key). */
  | { kind: 'charge' }
  /** In one transaction: the order with its events, reservations sold, the bought units out of the cart. */
  | { kind: 'create_order' }
  /** A captured payment that can no longer become an order goes back. */
  | { kind: 'refund' }
  /** The payment failed: open again, reservations kept, for another try. */
  | { kind: 'reopen' }
  /** Past its time while open: reservations released. */
  | { kind: 'expire' }
  /** The shopper's cart copy in Redis follows what the order took out of it. */
  | { kind: 'refresh_cart' }
  | { kind: 'wait'; for: 'shopper' }
  | { kind: 'done' };

/**
 * The cart checkout saga as a function of state. Guarantees, given steps that are each idempotent:
 * - a pending payment is resolved before anything else, whatever the checkout's status or time;
 * - every captured payment becomes an order when its checkout still holds its reservations (`paying`), and is
 *   refunded otherwise; nothing else happens to a checkout holding a captured payment without an order;
 * - a checkout leaves `paying` only once no payment is in flight or captured without an order;
 * - only an `open` checkout expires, and only once `now` has reached its time;
 * - after the order, the cart's copy is refreshed once; every other state is final.
 */
export function nextCheckoutStep(s: CheckoutSnapshot, now: number): CheckoutStep {
  const p = s.payment;
  if (p?.status === 'pending') return { kind: 'charge' };
  if (p?.status === 'succeeded' && s.order_id === null) {
    return s.status === 'paying' ? { kind: 'create_order' } : { kind: 'refund' };
  }
  switch (s.status) {
    case 'paying':
      return { kind: 'reopen' };
    case 'open':
      return now >= s.expires_at ? { kind: 'expire' } : { kind: 'wait', for: 'shopper' };
    case 'completed':
      return s.cart_refreshed ? { kind: 'done' } : { kind: 'refresh_cart' };
    case 'released':
    case 'expired':
      return { kind: 'done' };
  }
}
