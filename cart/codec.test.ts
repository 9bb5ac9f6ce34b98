import { describe, expect, it } from 'vitest';
import { decodeHash, encodeCart, encodeSeen } from './codec.ts';
import type { CartState } from './model.ts';

const T0 = 1_700_000_000_000;
const state: CartState = {
  cart_id: 'c1',
  user_id: 'u1',
  currency: 'USD',
  version: 12,
  created_at: T0,
  updated_at: T0 + 5,
  expires_at: T0 + 9_000,
  lines: [
    {
      product_id: 'a',
      quantity: 2,
      price_at_add_cents: 100,
      price_seen_cents: 120,
      added_at: T0,
      updated_at: T0 + 1,
    },
    {
      product_id: 'b',
      quantity: 1,
      price_at_add_cents: 300,
      price_seen_cents: 300,
      added_at: T0 + 2,
      updated_at: T0 + 2,
    },
  ],
};
const hashOf = (fields: string[]) =>
  Object.fromEntries(
    Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i]!, fields[2 * i + 1]!]),
  );

describe('the Redis copy of a cart', () => {
  it('decodes to the cart it was encoded from, version first', () => {
    const fields = encodeCart(state);
    expect(fields.slice(0, 2)).toEqual(['v', '12']);
    expect(decodeHash(hashOf(fields))).toEqual({ kind: 'cart', state, seen: new Map() });
  });

  it('decodes seen marks beside the lines', () => {
    const held = decodeHash(hashOf([...encodeCart(state), ...encodeSeen(new Map([['a', 150]]))]));
    expect(held.kind === 'cart' && held.seen).toEqual(new Map([['a', 150]]));
  });

  it('tells a tombstone and a missing hash apart from a cart', () => {
    expect(decodeHash({ v: '13', gone: '1' })).toEqual({ kind: 'gone', version: 13 });
    expect(decodeHash({})).toEqual({ kind: 'miss' });
    expect(decodeHash({ 's:a': '150' })).toEqual({ kind: 'miss' });
  });
});
