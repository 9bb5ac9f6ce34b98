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
