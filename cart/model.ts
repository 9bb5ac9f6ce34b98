/** One line of a cart as stored, in PostgreSQL and in its Redis copy. Times are epoch milliseconds. */
export interface CartLine {
  product_id: string;
  quantity: number;
  /** The price when the line was first added. */
  price_at_add_cents: number;
  /** The price the shopper was last shown; today's price differs from it once, as a `price_changed` problem. */
  price_seen_cents: number;
  added_at: number;
  updated_at: number;
}

/** A cart as stored: a guest cart has no user. Lines are in {@link inOrder}. */
export interface CartState {
  cart_id: string;
  user_id: string | null;
  /** The currency of its lines; null while it has none. */
  currency: string | null;
  /** Incremented by every committed change; a copy holding a lower version is older. */
  version: number;
  created_at: number;
  updated_at: number;
  expires_at: number;
  lines: CartLine[];
}

/** Lines in the order they were first added (product id between equals), as every copy of a cart keeps them. */
export const inOrder = (lines: readonly CartLine[]): CartLine[] =>
  [...lines].sort(
    (a, b) =>
      a.added_at - b.added_at || (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0),
  );

/** The most lines one cart may hold. */
export const MAX_LINES = 100;
/** A guest cart lives this long after its last change, and so does the guest's cookie. */
export const GUEST_TTL_SECONDS = 30 * 86_400;
/** A user's cart lives this long after its last change. */
export const USER_TTL_SECONDS = 90 * 86_400;

/** How long a cart lives after a change: 30 days for a guest, 90 for a user. */
export const ttlSecondsOf = (state: Pick<CartState, 'user_id'>): number =>
  state.user_id === null ? GUEST_TTL_SECONDS : USER_TTL_SECONDS;

/** True once the cart's time is up; an expired cart reads as no cart at all. */
export const isExpired = (state: Pick<CartState, 'expires_at'>, now: number): boolean =>
  state.expires_at <= now;

/** The cart with every line whose product is in `seen` marked as shown at that price. */
export function withSeen(state: CartState, seen: ReadonlyMap<string, number>): CartState {
  if (seen.size === 0) return state;
  return {
    ...state,
    lines: state.lines.map((l) => {
      const cents = seen.get(l.product_id);
      return cents === undefined || cents === l.price_seen_cents ? l : { ...l, price_seen_cents: cents };
    }),
  };
}
