import { isId } from '../contracts/index.ts';
import { signJson, unsignJson } from '../platform/index.ts';

/** The token that names a guest cart: its id, signed with CART_SECRET. The same cart always gets the same token. */
export const cartToken = (cart_id: string, secret: string): string => signJson({ cart_id }, secret);

/** The cart a token names; null when the token is forged, altered or not a cart token. */
export function cartIdOf(token: string, secret: string): string | null {
  const value = unsignJson(token, secret);
  if (typeof value !== 'object' || value === null) return null;
  const { cart_id } = value as { cart_id?: unknown };
  return typeof cart_id === 'string' && isId(cart_id) ? cart_id.toLowerCase() : null;
}

/**
 * The token of a reminder's link that restores a cart: its id and the time it stops working, signed with
 * CART_SECRET. Unlike a guest cart token it names a cart that only its owner may change, so it is good for
 * restoring a copy of the cart, nothing else.
 */
export const restoreToken = (cart_id: string, expiresAt: number, secret: string): string =>
  signJson({ restore: cart_id, exp: expiresAt }, secret);

/** The cart a restore token names; null when it is forged, altered, of another kind, or expired at `now`. */
export function restoredCartOf(token: string, secret: string, now: number): string | null {
  const value = unsignJson(token, secret);
  if (typeof value !== 'object' || value === null) return null;
  const { restore, exp } = value as { restore?: unknown; exp?: unknown };
  return typeof restore === 'string' && isId(restore) && typeof exp === 'number' && exp > now ? restore.toLowerCase() : null;
}

/** The token of a reminder's unsubscribe link: the user, signed with CART_SECRET; it does not expire. */
export const unsubscribeToken = (user_id: string, secret: string): string => signJson({ unsubscribe: user_id }, secret);

/** The user an unsubscribe token names; null when it is forged, altered or of another kind. */
export function unsubscribedUserOf(token: string, secret: string): string | null {
  const value = unsignJson(token, secret);
  if (typeof value !== 'object' || value === null) return null;
  const { unsubscribe } = value as { unsubscribe?: unknown };
  return typeof unsubscribe === 'string' && isId(unsubscribe) ? unsubscribe.toLowerCase() : null;
}
