import { describe, expect, it } from 'vitest';
import type { ProductFacts } from './facts.ts';
import { withSeen, type CartLine, type CartState } from './model.ts';
import { priceCart } from './view.ts';

const T0 = 1_700_000_000_000;
const line = (product_id: string, quantity: number, seen = 500, at_add = seen): CartLine => ({
  product_id,
  quantity,
  price_at_add_cents: at_add,
  price_seen_cents: seen,
  added_at: T0,
  updated_at: T0,
});
const cart = (lines: CartLine[]): CartState => ({
  cart_id: 'c1',
  user_id: null,
  currency: 'USD',
  version: 7,
  created_at: T0,
  updated_at: T0,
  expires_at: T0 + 1_000,
  lines,
});
const facts = (product_id: string, o: Partial<ProductFacts> = {}): [string, ProductFacts] => [
  product_id,
  {
    product_id,
    sku: `SKU-${product_id}`,
    title: `Title ${product_id}`,
    image: null,
    price_cents: 500,
    currency: 'USD',
    available: 50,
    drop_id: null,
    ...o,
  },
];

describe('priceCart', () => {
  it("prices every line at today's price and totals the cart", () => {
    const { view, seen } = priceCart(
      cart([line('a', 2), line('b', 3)]),
      new Map([facts('a'), facts('b', { price_cents: 250, image: 'https://img/b' })]),
    );
    expect(view).toMatchObject({
      cart_id: 'c1',
      subtotal_cents: 2 * 500 + 3 * 250,
      currency: 'USD',
      item_count: 5,
      version: 7,
    });
    expect(view.items[1]).toEqual({
      product_id: 'b',
      sku: 'SKU-b',
      title: 'Title b',
      image: 'https://img/b',
      quantity: 3,
      unit_price_cents: 250,
      price_at_add_cents: 500,
      line_total_cents: 750,
      available: 50,
    });
    expect(view.problems).toEqual([
      { product_id: 'b', kind: 'price_changed', from_cents: 500, to_cents: 250 },
    ]);
    expect(seen).toEqual(new Map([['b', 250]]));
  });

  it('shows a price change once: a line marked seen at the new price has no problem', () => {
    const state = cart([line('a', 1, 400)]);
    const today = new Map([facts('a', { price_cents: 450 })]);
    const first = priceCart(state, today);
    expect(first.view.problems).toEqual([
      { product_id: 'a', kind: 'price_changed', from_cents: 400, to_cents: 450 },
    ]);
    const again = priceCart(withSeen(state, first.seen), today);
    expect(again.view.problems).toEqual([]);
    expect(again.seen.size).toBe(0);
  });

  it('reports a line asking for more units than are for sale', () => {
    const { view } = priceCart(cart([line('a', 4)]), new Map([facts('a', { available: 3 })]));
    expect(view.problems).toEqual([
      { product_id: 'a', kind: 'insufficient_stock', requested: 4, available: 3 },
    ]);
    expect(view.subtotal_cents).toBe(2_000);
  });

  it('keeps lines of products gone, in a drop or in another currency, priced 0 and out of the subtotal', () => {
    const { view, seen } = priceCart(
      cart([line('gone', 1), line('drop', 2), line('eur', 1, 100), line('ok', 1)]),
      new Map<string, ProductFacts | null>([
        ['gone', null],
        facts('drop', { drop_id: 'd1', price_cents: 900 }),
        facts('eur', { currency: 'EUR' }),
        facts('ok'),
      ]),
    );
    expect(view.subtotal_cents).toBe(500);
    expect(view.item_count).toBe(5);
    expect(
      view.items.map((i) => [i.product_id, i.unit_price_cents, i.line_total_cents, i.available]),
    ).toEqual([
      ['gone', 0, 0, 0],
      ['drop', 0, 0, 0],
      ['eur', 0, 0, 0],
      ['ok', 500, 500, 50],
    ]);
    expect(view.items[0]).toMatchObject({ sku: null, title: null, image: null });
    expect(view.problems).toEqual([
      { product_id: 'gone', kind: 'unavailable', reason: 'gone' },
      { product_id: 'drop', kind: 'unavailable', reason: 'in_drop' },
      { product_id: 'eur', kind: 'unavailable', reason: 'currency' },
    ]);
    expect(seen.size).toBe(0);
  });
});
