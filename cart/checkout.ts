import type { Redis } from 'ioredis';
import type { Sql, Tx } from '../platform/index.ts';
import { cartKeys, createCartCopy } from './copy.ts';
import { isExpired, USER_TTL_SECONDS, type CartState } from './model.ts';
import { createCartRepo } from './repo.ts';
import { withoutBought } from './rules.ts';

/** Units of a product: a cart line as a checkout reads it, or what an order bought. */
export interface CartUnits {
  product_id: string;
  quantity: number;
}

/** What the cart checkout needs of a signed-in user's cart, inside its own transactions. */
export interface CheckoutCart {
  /**
   * Locks the user's cart for the rest of the transaction and answers its lines in the cart's order, with its
   * currency; null when the user has no cart or it has expired. Checkouts lock the cart before anything else.
   */
  lock(tx: Tx, user_id: string, now: number): Promise<{ currency: string | null; lines: CartUnits[] } | null>;
  /**
   * In the caller's transaction: takes the units an order bought out of the user's cart. A line loses what was
   * bought of it (a line raised since the checkout began keeps the difference) and goes when nothing is left; the
   * cart's version goes up. Nothing happens to a cart without such lines.
   */
  takeBought(tx: Tx, user_id: string, bought: readonly CartUnits[], now: number): Promise<void>;
  /** After such a transaction committed: the Redis copy takes the cart as committed, unless it holds a newer one. */
  refreshCopy(user_id: string): Promise<void>;
}

/** The cart side of the cart checkout, on the carts' PostgreSQL rows and their Redis copies. */
export function createCheckoutCart(deps: { sql: Sql; redis: Redis }): CheckoutCart {
  const repo = createCartRepo(deps.sql);
  const copy = createCartCopy(deps.redis);
  const live = (state: CartState | null, now: number) => (state === null || isExpired(state, now) ? null : state);

  return {
    async lock(tx, user_id, now) {
      const state = live(await repo.lock(tx, { user_id }), now);
      return state && { currency: state.currency, lines: state.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity })) };
    },

    async takeBought(tx, user_id, bought, now) {
      const locked = await repo.lock(tx, { user_id });
      const state = live(locked, now);
      if (locked === null || state === null) return;
      const after = withoutBought(state, bought, now);
      if (after === state) return;
      await repo.save(tx, locked, { ...after, updated_at: now, expires_at: now + USER_TTL_SECONDS * 1000 });
    },

    async refreshCopy(user_id) {
      const state = await repo.load({ user_id });
      if (state === null) return;
      await copy.write(cartKeys.user(user_id), state, Math.max(1, (state.expires_at - Date.now()) / 1000));
    },
  };
}
