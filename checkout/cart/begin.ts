import type { CheckoutCart } from '../../cart/index.ts';
import { newId } from '../../contracts/index.ts';
import { AppError, type Sql } from '../../platform/index.ts';
import type { Clock } from '../steps.ts';
import { allocate, freeFor } from './allocation.ts';
import type { PricedLine } from './pricing.ts';
import { totalsOf } from './pricing.ts';
import { insertCheckout, loadCheckout, lockCurrent, productFacts, releaseIn } from './repo.ts';
import { shortageProblems, unavailable, unavailableLines } from './rules.ts';
import type { ShippingTables } from './shipping.ts';
import { lockProducts, moveReserved } from './stock.ts';
import { checkoutView, type CheckoutView } from './view.ts';

export interface BeginDeps {
  sql: Sql;
  carts: CheckoutCart;
  tables: ShippingTables;
  clock: Clock;
  /** How long a new checkout holds its stock. */
  ttlSeconds: number;
}

/**
 * Starts a checkout of the user's cart at today's prices, in one transaction that locks the cart, the user's
 * current checkout, then the inventory rows of every product involved in the global order: the current checkout
 * (if open) is released, every line is allocated to warehouses (fewest shipments; no address is known yet) and its
 * units reserved until `now + ttlSeconds`. Either every line is reserved or nothing changes: conflict with
 * `problems` naming each line that cannot be had (unavailable, or short of stock), conflict `empty_cart`, or
 * conflict `payment_in_progress` while the current checkout is being paid for.
 */
export function createBegin(d: BeginDeps): (userId: string) => Promise<CheckoutView> {
  return async (userId) => {
    const now = d.clock();
    const checkoutId = await d.sql.begin(async (tx) => {
      const cart = await d.carts.lock(tx, userId, now);
      if (cart === null || cart.lines.length === 0 || cart.currency === null) {
        throw new AppError('conflict', 'the cart is empty; add something to it before checking out', { details: { reason: 'empty_cart' } });
      }
      const facts = await productFacts(tx, cart.lines.map((l) => l.product_id));
      const current = await lockCurrent(tx, userId);
      if (current?.snapshot.status === 'paying') {
        throw new AppError('conflict', 'a payment for your current checkout is in progress', {
          retriable: true,
          details: { reason: 'payment_in_progress', checkout_id: current.snapshot.checkout_id },
        });
      }
      const held = current?.reservations.filter((r) => r.status === 'held') ?? [];
      const stock = await lockProducts(tx, [...new Set([...cart.lines, ...held].map((l) => l.product_id))]);
      const alloc = allocate(cart.lines, freeFor(stock, held));
      const problems = [...unavailableLines(cart.lines, facts, cart.currency), ...(alloc.ok ? [] : shortageProblems(alloc.shortages))];
      if (problems.length > 0 || !alloc.ok) throw unavailable(problems, 'nothing was reserved');
      if (current) await releaseIn(tx, current, 'released');
      await moveReserved(tx, alloc.allocations);
      const lines: PricedLine[] = cart.lines.map((l) => {
        const f = facts.get(l.product_id)!;
        return { product_id: l.product_id, sku: f.sku, title: f.title, quantity: l.quantity, unit_price_cents: f.price_cents };
      });
      const checkout_id = newId(now);
      await insertCheckout(tx, {
        checkout_id,
        user_id: userId,
        currency: cart.currency,
        lines,
        totals: totalsOf(lines, 0, null),
        expires_at: now + d.ttlSeconds * 1000,
        allocations: alloc.allocations,
      });
      return checkout_id;
    });
    return checkoutView((await loadCheckout(d.sql, checkoutId))!, d.tables, now);
  };
}
