import { describe, expect, it } from 'vitest';
import { MAX_LINES, type CartState } from './model.ts';
import { addLine, lineLimit, removeLine, setLineQuantity, withoutBought, type ProductRule } from './rules.ts';

const T0 = 1_700_000_000_000;
const cart = (
  lines: CartState['lines'] = [],
  currency: string | null = lines.length ? 'USD' : null,
): CartState => ({
  cart_id: 'c1',
  user_id: null,
  currency,
  version: 3,
  created_at: T0,
  updated_at: T0,
  expires_at: T0 + 1_000_000,
  lines,
});
const line = (product_id: string, quantity: number, added_at = T0) => ({
  product_id,
  quantity,
  price_at_add_cents: 500,
  price_seen_cents: 500,
  added_at,
  updated_at: added_at,
});
const rule = (o: Partial<ProductRule> = {}): ProductRule => ({ limit: 10, drop_id: null, stock: 100, ...o });
const add = (product_id: string, quantity: number, currency = 'USD') => ({
  product_id,
  quantity,
  price_cents: 700,
  currency,
});

describe('lineLimit', () => {
  it("takes the product's own max_per_order over the default, higher or lower", () => {
    expect(lineLimit(null, 10)).toBe(10);
    expect(lineLimit(2, 10)).toBe(2);
    expect(lineLimit(25, 10)).toBe(25);
  });
});

describe('addLine', () => {
  it("starts a line at today's price, seen at that price, and takes the product's currency", () => {
    const next = addLine(cart(), add('p1', 2), rule(), T0 + 5);
    expect(next.currency).toBe('USD');
    expect(next.lines).toEqual([
      {
        product_id: 'p1',
        quantity: 2,
        price_at_add_cents: 700,
        price_seen_cents: 700,
        added_at: T0 + 5,
        updated_at: T0 + 5,
      },
    ]);
  });

  it('adds to an existing line and keeps its price at add', () => {
    const next = addLine(cart([line('p1', 3)]), add('p1', 4), rule(), T0 + 5);
    expect(next.lines).toEqual([{ ...line('p1', 7), updated_at: T0 + 5 }]);
  });

  it('refuses a line beyond its limit, naming the limit', () => {
    expect(() => addLine(cart([line('p1', 8)]), add('p1', 3), rule(), T0)).toThrow(
      expect.objectContaining({ kind: 'conflict', details: { limit: 'line', product_id: 'p1', max: 10 } }),
    );
    expect(() => addLine(cart(), add('p1', 3), rule({ limit: 2 }), T0)).toThrow(
      expect.objectContaining({ details: { limit: 'line', product_id: 'p1', max: 2 } }),
    );
  });

  it('refuses a 101st line but still adds to one of the 100', () => {
    const full = cart(Array.from({ length: MAX_LINES }, (_, i) => line(`p${i}`, 1)));
    expect(() => addLine(full, add('new', 1), rule(), T0)).toThrow(
      expect.objectContaining({ kind: 'conflict', details: { limit: 'lines', max: 100 } }),
    );
    expect(addLine(full, add('p7', 1), rule(), T0).lines.find((l) => l.product_id === 'p7')?.quantity).toBe(
      2,
    );
  });

  it('refuses a second currency, and takes any currency once the cart is empty again', () => {
    expect(() => addLine(cart([line('p1', 1)]), add('p2', 1, 'EUR'), rule(), T0)).toThrow(
      expect.objectContaining({ kind: 'conflict', details: { limit: 'currency', currency: 'USD' } }),
    );
    const emptiedCart = removeLine(cart([line('p1', 1)]), 'p1');
    expect(addLine(emptiedCart, add('p2', 1, 'EUR'), rule(), T0).currency).toBe('EUR');
  });

  it('refuses a product in a drop', () => {
    expect(() => addLine(cart(), add('p1', 1), rule({ drop_id: 'd1' }), T0)).toThrow(
      expect.objectContaining({
        kind: 'conflict',
        details: { reason: 'in_drop', product_id: 'p1', drop_id: 'd1' },
      }),
    );
  });
});

describe('setLineQuantity', () => {
  const two = cart([line('p1', 3, T0), line('p2', 1, T0 + 1)]);

  it('sets the quantity, and 0 removes the line', () => {
    expect(setLineQuantity(two, 'p1', 5, rule(), 10, T0 + 9).lines[0]).toMatchObject({
      quantity: 5,
      updated_at: T0 + 9,
    });
    expect(setLineQuantity(two, 'p1', 0, null, 10, T0).lines.map((l) => l.product_id)).toEqual(['p2']);
  });

  it('answers not_found for a product the cart has no line for', () => {
    expect(() => setLineQuantity(two, 'p9', 1, rule(), 10, T0)).toThrow(
      expect.objectContaining({ kind: 'not_found' }),
    );
  });

  it('refuses a quantity beyond the line limit', () => {
    expect(() => setLineQuantity(two, 'p1', 11, rule(), 10, T0)).toThrow(
      expect.objectContaining({ details: { limit: 'line', product_id: 'p1', max: 10 } }),
    );
  });

  it('lets a line of a product gone or in a drop shrink but not grow', () => {
    expect(setLineQuantity(two, 'p1', 2, null, 10, T0).lines[0]?.quantity).toBe(2);
    expect(() => setLineQuantity(two, 'p1', 4, null, 10, T0)).toThrow(
      expect.objectContaining({ details: { reason: 'unavailable', product_id: 'p1' } }),
    );
    expect(setLineQuantity(two, 'p1', 2, rule({ drop_id: 'd1' }), 10, T0).lines[0]?.quantity).toBe(2);
    expect(() => setLineQuantity(two, 'p1', 4, rule({ drop_id: 'd1' }), 10, T0)).toThrow(
      expect.objectContaining({ details: { reason: 'in_drop', product_id: 'p1', drop_id: 'd1' } }),
    );
  });
});

describe('removeLine', () => {
  it('returns the very same cart when there is no such line, so nothing is written', () => {
    const c = cart([line('p1', 1)]);
    expect(removeLine(c, 'p2')).toBe(c);
    expect(removeLine(c, 'p1')).toMatchObject({ lines: [], currency: null });
  });
});

describe('withoutBought', () => {
  it('takes what an order bought out of each line, keeping what a line holds beyond it', () => {
    const before = cart([line('a', 3), line('b', 2, T0 + 1), line('c', 1, T0 + 2)]);
    const after = withoutBought(before, [{ product_id: 'a', quantity: 2 }, { product_id: 'b', quantity: 2 }, { product_id: 'z', quantity: 1 }], T0 + 9);
    expect(after.lines).toEqual([{ ...line('a', 1), updated_at: T0 + 9 }, line('c', 1, T0 + 2)]);
    expect(after.currency).toBe('USD');
  });

  it('empties the cart of its currency with its last line, and changes nothing when nothing it holds was bought', () => {
    const before = cart([line('a', 2)]);
    expect(withoutBought(before, [{ product_id: 'a', quantity: 1 }, { product_id: 'a', quantity: 1 }], T0)).toMatchObject({ lines: [], currency: null });
    expect(withoutBought(before, [{ product_id: 'z', quantity: 1 }], T0)).toBe(before);
  });
});
