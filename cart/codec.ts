import { inOrder, type CartLine, type CartState } from './model.ts';

/**
 * The Redis copy of a cart is one hash:
 * - `v`: the version it holds (what every write compares);
 * - `cart`: JSON {cart_id, user_id, currency, created_at, updated_at, expires_at};
 * - `l:<product_id>`: JSON of the line {quantity, price_at_add_cents, price_seen_cents, added_at, updated_at};
 * - `s:<product_id>`: the price a read has since shown for that line (marked seen without a PostgreSQL write);
 * - `gone`: present on the tombstone a merged guest cart leaves, instead of every other field but `v`.
 */
export type Held =
  | { kind: 'miss' }
  | { kind: 'gone'; version: number }
  | { kind: 'cart'; state: CartState; seen: Map<string, number> };

/** The hash fields of a cart, as field, value pairs, `v` first. */
export function encodeCart(state: CartState): string[] {
  const { lines, version, ...cart } = state;
  const fields = ['v', String(version), 'cart', JSON.stringify(cart)];
  for (const { product_id, ...line } of lines) fields.push(`l:${product_id}`, JSON.stringify(line));
  return fields;
}

/** The hash fields of a seen mark per product. */
export const encodeSeen = (seen: ReadonlyMap<string, number>): string[] =>
  [...seen].flatMap(([product_id, cents]) => [`s:${product_id}`, String(cents)]);

/** What a cart's hash holds; a hash without a version or cart (none, or not written by encodeCart) is a miss. */
export function decodeHash(hash: Record<string, string>): Held {
  const version = Number(hash.v);
  if (hash.v === undefined || !Number.isSafeInteger(version)) return { kind: 'miss' };
  if (hash.gone !== undefined) return { kind: 'gone', version };
  if (hash.cart === undefined) return { kind: 'miss' };
  const cart = JSON.parse(hash.cart) as Omit<CartState, 'lines' | 'version'>;
  const lines: CartLine[] = [];
  const seen = new Map<string, number>();
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('l:'))
      lines.push({ product_id: field.slice(2), ...(JSON.parse(value) as Omit<CartLine, 'product_id'>) });
    else if (field.startsWith('s:')) seen.set(field.slice(2), Number(value));
  }
  return { kind: 'cart', state: { ...cart, version, lines: inOrder(lines) }, seen };
}
