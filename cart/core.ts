import type { Redis } from 'ioredis';
import { AppError, type Config, type Logger, type Sql } from '../platform/index.ts';
import { cartKeys, createCartCopy, TOMBSTONE_SECONDS, type CartCopy } from './copy.ts';
import { factsFor, type ProductPages } from './facts.ts';
import { isExpired, ttlSecondsOf, withSeen, type CartState } from './model.ts';
import { createCartRepo, type CartRef, type CartRepo } from './repo.ts';
import { cartIdOf, cartToken } from './token.ts';
import { priceCart, type CartView } from './view.ts';

export interface CartDeps {
  sql: Sql;
  redis: Redis;
  /** Product pages (the catalog's Storefront): where lines read today's price, stock and drop. */
  products: ProductPages;
  logger: Logger;
  config: Pick<Config, 'CART_SECRET' | 'CART_LINE_LIMIT'>;
  /** Epoch milliseconds; the clock that stamps changes and decides expiry. */
  now?: () => number;
}

/** Whose cart a request means: a signed-in user's, or the guest cart its token names (none without a token). */
export type Who = { user_id: string } | { token?: string | undefined };

/** Every cart answer: the whole cart, and for a guest cart the token that names it. */
export type CartAnswer = CartView & { cart_token?: string };

/** A cart a request names: how to find it in PostgreSQL, and its Redis key. */
export interface Target {
  ref: CartRef;
  key: string;
  user_id: string | null;
}

export const guestTarget = (cart_id: string): Target => ({
  ref: { cart_id },
  key: cartKeys.guest(cart_id),
  user_id: null,
});
export const userTarget = (user_id: string): Target => ({
  ref: { user_id },
  key: cartKeys.user(user_id),
  user_id,
});

/** The error of a write naming no cart: no token, a forged one, or one of a cart expired or merged away. */
export const noCart = () =>
  new AppError(
    'not_found',
    'no such cart: the cart token is unknown, expired or was merged into an account',
    {
      details: { reason: 'no_cart' },
    },
  );

/** The pieces reads, writes and merges share. */
export function createCore(deps: CartDeps) {
  const { logger, products } = deps;
  const now = deps.now ?? Date.now;
  const copy: CartCopy = createCartCopy(deps.redis);
  const repo: CartRepo = createCartRepo(deps.sql);
  const secondsLeft = (state: CartState) => (state.expires_at - now()) / 1000;

  const core = {
    now,
    copy,
    repo,

    /** The cart a request names; 'none' without a token, 'forged' for a token that does not check out. */
    resolve(who: Who): Target | 'none' | 'forged' {
      if ('user_id' in who) return userTarget(who.user_id);
      if (who.token === undefined) return 'none';
      const cart_id = cartIdOf(who.token, deps.config.CART_SECRET);
      return cart_id === null ? 'forged' : guestTarget(cart_id);
    },

    /**
     * The live cart and its seen marks, null when there is none: from Redis while it holds the cart (or a
     * tombstone), else from PostgreSQL, refilling Redis with the cart, or with a tombstone of version 0 when there
     * is none, so the next reads skip PostgreSQL too (any committed change replaces it).
     */
    async read(t: Target): Promise<{ state: CartState; seen: ReadonlyMap<string, number> } | null> {
      const held = await copy.read(t.key).catch((err: unknown) => {
        logger.warn({ err }, 'cart copy unreadable; reading PostgreSQL');
        return null;
      });
      if (held?.kind === 'cart') return isExpired(held.state, now()) ? null : held;
      if (held?.kind === 'gone') return null;
      const loaded = await repo.load(t.ref);
      const state = loaded !== null && !isExpired(loaded, now()) ? loaded : null;
      if (held !== null) {
        const refill = state
          ? copy.write(t.key, state, secondsLeft(state))
          : copy.bury(t.key, 0, TOMBSTONE_SECONDS);
        await refill.catch((err: unknown) => logger.warn({ err }, 'cart refill failed'));
      }
      return state && { state, seen: new Map() };
    },

    /** The seen marks Redis holds for the version it holds; none when it holds no cart or cannot be read. */
    async marks(key: string): Promise<{ version: number; seen: ReadonlyMap<string, number> } | null> {
      const held = await copy.read(key).catch(() => null);
      return held?.kind === 'cart' ? { version: held.state.version, seen: held.seen } : null;
    },

    /** The cart priced today, its guest token beside its id. */
    async view(state: CartState): Promise<{ answer: CartAnswer; seen: Map<string, number> }> {
      const facts = await factsFor(
        products,
        state.lines.map((l) => l.product_id),
      );
      const { view, seen } = priceCart(state, facts);
      if (state.user_id !== null) return { answer: view, seen };
      const { cart_id, ...rest } = view;
      return {
        answer: { cart_id, cart_token: cartToken(state.cart_id, deps.config.CART_SECRET), ...rest },
        seen,
      };
    },

    /** A committed cart as it is stored after a change: every line shown is seen, the expiry moved on. */
    stamped(state: CartState, seen: ReadonlyMap<string, number>, at: number): CartState {
      return { ...withSeen(state, seen), updated_at: at, expires_at: at + ttlSecondsOf(state) * 1000 };
    },

    /**
     * Puts a committed change in Redis. When the write fails the copy is deleted instead (the next read loads
     * PostgreSQL); when that fails too, the change is committed but not acknowledged: unavailable.
     */
    async publish(key: string, state: CartState): Promise<void> {
      try {
        await copy.write(key, state, secondsLeft(state));
      } catch (err) {
        logger.warn({ err }, 'cart copy write failed; dropping the copy');
        try {
          await copy.drop(key);
        } catch {
          throw new AppError(
            'unavailable',
            'the cart change is saved but could not be confirmed; read the cart before trying again',
            {
              cause: err,
            },
          );
        }
      }
    },
  };
  return core;
}

export type Core = ReturnType<typeof createCore>;
