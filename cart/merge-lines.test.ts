import { describe, expect, it } from 'vitest';
import { mergeLines, type MergeCap } from './merge-lines.ts';
import { MAX_LINES, type CartLine, type CartState } from './model.ts';

const T0 = 1_700_000_000_000;
const line = (product_id: string, quantity: number, added_at = T0, price = 500): CartLine => ({
  product_id,
  quantity,
  price_at_add_cents: price,
  price_seen_cents: price,
  added_at,
  updated_at: added_at,
});
const cart = (
  lines: CartLine[],
  currency: string | null = lines.length ? 'USD' : null,
  user_id: string | null = 'u1',
): CartState => ({
  cart_id: user_id === null ? 'guest' : 'user',
  user_id,
  currency,
  version: 4,
  created_at: T0,
  updated_at: T0,
  expires_at: T0 + 1_000_000,
  lines,
});
const caps =
  (o: Record<string, Partial<MergeCap>> = {}) =>
  (product_id: string): MergeCap => ({ line: 10, stock: 1_000, ...o[product_id] });
const quantities = (s: CartState) => Object.fromEntries(s.lines.map((l) => [l.product_id, l.quantity]));

describe('mergeLines', () => {
  it('sums quantities per product and adds the guest-only lines', () => {
    const { state, report } = mergeLines(
      cart([line('a', 2), line('b', 1)]),
      cart([line('b', 3), line('c', 4)], 'USD', null),
      caps(),
      T0 + 9,
    );
    expect(quantities(state)).toEqual({ a: 2, b: 4, c: 4 });
    expect(report).toEqual({ merged_lines: 2, capped: [] });
    expect(state.cart_id).toBe('user');
  });

  it('caps a summed line at its line limit, and at the units for sale, reporting both', () => {
    const { state, report } = mergeLines(
      cart([line('a', 6), line('b', 2)]),
      cart([line('a', 6), line('b', 5)], 'USD', null),
      caps({ b: { stock: 4 } }),
      T0,
    );
    expect(quantities(state)).toEqual({ a: 10, b: 4 });
    expect(report.capped).toEqual([
      { product_id: 'a', requested: 12, kept: 10, limit: 'line' },
      { product_id: 'b', requested: 7, kept: 4, limit: 'stock' },
    ]);
  });

  it("never takes units from the user's own line, and drops a guest line with nothing for sale", () => {
    const { state, report } = mergeLines(
      cart([line('a', 5)]),
      cart([line('a', 1), line('gone', 2)], 'USD', null),
      caps({ a: { stock: 3 }, gone: { stock: 0 } }),
      T0,
    );
    expect(quantities(state)).toEqual({ a: 5 });
    expect(report).toEqual({
      merged_lines: 1,
      capped: [
        { product_id: 'a', requested: 6, kept: 5, limit: 'stock' },
        { product_id: 'gone', requested: 2, kept: 0, limit: 'stock' },
      ],
    });
  });

  it("leaves out guest lines of another currency and beyond the cart's 100 lines", () => {
    const full = cart(Array.from({ length: MAX_LINES }, (_, i) => line(`u${i}`, 1)));
    const eur = mergeLines(cart([line('a', 1)]), cart([line('x', 1)], 'EUR', null), caps(), T0);
    expect(eur.report.capped).toEqual([{ product_id: 'x', requested: 1, kept: 0, limit: 'currency' }]);
    const over = mergeLines(full, cart([line('u3', 1), line('new', 1)], 'USD', null), caps(), T0);
    expect(over.state.lines).toHaveLength(MAX_LINES);
    expect(over.report).toEqual({
      merged_lines: 1,
      capped: [{ product_id: 'new', requested: 1, kept: 0, limit: 'lines' }],
    });
  });

  it("takes the guest's currency into an empty user cart, and keeps every line in the order first added", () => {
    const { state } = mergeLines(
      cart([]),
      cart([line('z', 1, T0 + 2), line('y', 1, T0 + 1)], 'EUR', null),
      caps(),
      T0 + 5,
    );
    expect(state.currency).toBe('EUR');
    expect(state.lines.map((l) => l.product_id)).toEqual(['y', 'z']);
    const mixed = mergeLines(
      cart([line('late', 1, T0 + 9)]),
      cart([line('early', 1, T0)], 'USD', null),
      caps(),
      T0 + 10,
    );
    expect(mixed.state.lines.map((l) => l.product_id)).toEqual(['early', 'late']);
  });

  it('merges nothing from an empty guest cart', () => {
    const into = cart([line('a', 1)]);
    const { state, report } = mergeLines(into, cart([], null, null), caps(), T0);
    expect(state.lines).toEqual(into.lines);
    expect(report).toEqual({ merged_lines: 0, capped: [] });
  });

  it('takes the larger quantity instead of the sum for copies of the same cart, so a repeat changes nothing', () => {
    const user = cart([line('a', 2), line('b', 5)]);
    const copy = cart([line('a', 3), line('b', 1), line('c', 12)], 'USD', null);
    const once = mergeLines(user, copy, caps(), T0 + 9, 'max');
    expect(quantities(once.state)).toEqual({ a: 3, b: 5, c: 10 });
    expect(once.report.capped).toEqual([{ product_id: 'c', requested: 12, kept: 10, limit: 'line' }]);
    expect(quantities(mergeLines(once.state, copy, caps(), T0 + 10, 'max').state)).toEqual({ a: 3, b: 5, c: 10 });
  });
});
