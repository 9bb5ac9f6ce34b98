import type { IntentStatus, OrderStatus } from '../contracts/index.ts';

export type { OrderStatus };

/** Times are epoch ms. */
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded';

/** What the saga knows of one drop intent, read from PostgreSQL in one go. */
export interface IntentSnapshot {
  intent_id: string;
  drop_id: string;
  user_id: string;
  quantity: number;
  status: IntentStatus;
  hold_expires_at: number | null;
  /** Set when the shopper joined with a card: the saga pays without the shopper. */
  payment_method_id: string | null;
  shipping_address_id: string | null;
  release_requested_at: number | null;
  purchase_requested_at: number | null;
  /** The intent's live (not failed) payment, else its latest failed one. */
  payment: {
    payment_id: string;
    status: PaymentStatus;
    /** True when made by the saga itself (idempotency key = intent id), false for a held-intent checkout. */
    auto: boolean;
  } | null;
  order: { order_id: string; status: OrderStatus } | null;
}

/** The one next thing to do for an intent. */
export type Step =
  | { kind: 'charge' }
  | { kind: 'create_order' }
  | { kind: 'request_purchase' }
  | { kind: 'confirm_order' }
  | { kind: 'request_release'; reason: 'payment_failed' }
  | { kind: 'refund' }
  | { kind: 'close_order' }
  | { kind: 'wait'; for: 'purchase_decision' | 'release_decision' | 'hold_expiry' | 'shopper' }
  | { kind: 'done' };

export interface TransitionOptions {
  /** A purchase or release command is sent again when no decision followed it for this long. */
  resendAfterMs: number;
}

/** Final statuses in which the intent holds no unit and will never be purchased. */
const HOLD_LOST: ReadonlySet<IntentStatus> = new Set(['expired', 'cancelled', 'payment_failed', 'sold_out']);

/** True for an intent the saga pays for on its own (it joined with a card and an address). */
export const isAutomatic = (s: Pick<IntentSnapshot, 'payment_method_id' | 'shipping_address_id'>): boolean =>
  s.payment_method_id !== null && s.shipping_address_id !== null;

const due = (sentAt: number | null, now: number, o: TransitionOptions) =>
  sentAt === null || now - sentAt >= o.resendAfterMs;

/**
 * The drop-order saga as a function of state. Guarantees, given steps that are each idempotent:
 * - a charge is started only for an automatic intent that is reserved, has no payment yet and a hold that has
 *   not expired by `now`; a charge whose outcome is unknown (pending) is resolved before anything else;
 * - every captured payment gets an order (create_order comes before any other step);
 * - an order is paid only after the sequencer's `purchased` decision (its `order.paid` then brings the
 *   confirmation email, from notifications/); when the hold is lost instead, a captured payment is refunded and its
 *   order closed (refunded), never paid;
 * - a declined automatic payment releases the unit (payment_failed) so the next shopper gets it.
 */
export function nextStep(s: IntentSnapshot, now: number, o: TransitionOptions): Step {
  const p = s.payment;
  const order = s.order;
  if (p?.status === 'pending') return { kind: 'charge' };
  if (p?.status === 'succeeded' && order === null) return { kind: 'create_order' };

  if (s.status === 'purchased') return order?.status === 'placed' ? { kind: 'confirm_order' } : { kind: 'done' };

  if (HOLD_LOST.has(s.status)) {
    if (p?.status === 'succeeded' && order?.status === 'placed') return { kind: 'refund' };
    if (order?.status === 'placed') return { kind: 'close_order' };
    return { kind: 'done' };
  }

  if (s.status !== 'reserved' || p?.status === 'refunded') return { kind: 'done' };

  if (p?.status === 'succeeded') {
    if (order?.status !== 'placed') return { kind: 'done' };
    return due(s.purchase_requested_at, now, o)
      ? { kind: 'request_purchase' }
      : { kind: 'wait', for: 'purchase_decision' };
  }
  if (p?.status === 'failed' && p.auto) {
    return due(s.release_requested_at, now, o)
      ? { kind: 'request_release', reason: 'payment_failed' }
      : { kind: 'wait', for: 'release_decision' };
  }
  if (p === null && isAutomatic(s)) {
    const holdValid = s.hold_expires_at !== null && now < s.hold_expires_at;
    return holdValid ? { kind: 'charge' } : { kind: 'wait', for: 'hold_expiry' };
  }
  return { kind: 'wait', for: 'shopper' };
}

/** Statuses after which the saga may have something to do for the intent. */
export const SAGA_STATUSES: ReadonlySet<IntentStatus> = new Set([
  'reserved',
  'purchased',
  'expired',
  'cancelled',
  'payment_failed',
]);
