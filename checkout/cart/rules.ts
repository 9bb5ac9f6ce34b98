import { AppError } from '../../platform/index.ts';
import type { Demand, Shortage } from './allocation.ts';
import type { CheckoutStatus } from './transitions.ts';

/** Why a line of the cart cannot be bought: the same kinds the cart reports. */
export type LineProblem =
  | { product_id: string; kind: 'insufficient_stock'; requested: number; available: number }
  | { product_id: string; kind: 'unavailable'; reason: 'gone' | 'in_drop' | 'currency' };

/** What a checkout needs to know of a product today. */
export interface ProductFact {
  price_cents: number;
  currency: string;
  drop_id: string | null;
}

/**
 * The lines that cannot be bought as they are: their product is gone, sells only through a drop, or is now priced
 * in another currency than `currency`; in line order.
 */
export function unavailableLines(lines: readonly Demand[], facts: ReadonlyMap<string, ProductFact>, currency: string): LineProblem[] {
  return lines.flatMap((l): LineProblem[] => {
    const f = facts.get(l.product_id);
    const reason = !f ? 'gone' : f.drop_id !== null ? 'in_drop' : f.currency !== currency ? 'currency' : null;
    return reason === null ? [] : [{ product_id: l.product_id, kind: 'unavailable', reason }];
  });
}

/** Shortages as line problems. */
export const shortageProblems = (shortages: readonly Shortage[]): LineProblem[] =>
  shortages.map((s) => ({ product_id: s.product_id, kind: 'insufficient_stock', requested: s.requested, available: s.available }));

/** The refusal of a checkout (or a payment) whose lines cannot all be had: nothing was reserved or charged. */
export const unavailable = (problems: LineProblem[], what: string) =>
  new AppError('conflict', `some lines of the cart cannot be bought; ${what}`, { details: { reason: 'unavailable', problems } });

/** The checkout, when it is the user's; not_found otherwise, so other shoppers' checkouts are not revealed. */
export function ownCheckout<C extends { user_id: string }>(c: C | undefined, userId: string): C {
  if (c === undefined || c.user_id !== userId) throw new AppError('not_found', 'no such checkout');
  return c;
}

/**
 * Throws unless the checkout can still change (address, shipping, payment) at `now`: it must be open (paying: a
 * payment is in flight, conflict; completed: conflict naming its order) and not past its time nor ended (gone).
 */
export function assertOpen(c: { status: CheckoutStatus; expires_at: number; order_id: string | null }, now: number): void {
  switch (c.status) {
    case 'open':
      if (now >= c.expires_at) {
        throw new AppError('gone', 'this checkout has expired and its stock went back on sale; start a new one', {
          details: { reason: 'expired' },
        });
      }
      return;
    case 'paying':
      throw new AppError('conflict', 'a payment for this checkout is in progress', {
        retriable: true,
        details: { reason: 'payment_in_progress' },
      });
    case 'completed':
      throw new AppError('conflict', 'this checkout is already an order', { details: { reason: 'completed', order_id: c.order_id } });
    case 'released':
    case 'expired':
      throw new AppError('gone', `this checkout has ${c.status === 'expired' ? 'expired' : 'been released'}; start a new one`, {
        details: { reason: c.status },
      });
  }
}
