import { describe, expect, it } from 'vitest';
import { DEFAULT_RATES } from '../../platform/index.ts';
import { deliveryDate, priceChanges, quote, quotes, taxOf, totalsOf, type PricedLine } from './pricing.ts';

const NOW = Date.UTC(2026, 0, 30, 23, 0);
const line = (product_id: string, quantity: number, unit_price_cents: number): PricedLine => ({
  product_id,
  sku: product_id,
  title: product_id,
  quantity,
  unit_price_cents,
});

describe('quote', () => {
  it('adds the price of each shipment and arrives with the slowest', () => {
    expect(quote(DEFAULT_RATES, 'standard', ['zone', 'world'], NOW)).toEqual({
      option: 'standard',
      shipping_cents: 499 + 2_999,
      days: 14,
      estimated_delivery: '2026-02-13',
    });
    expect(quote(DEFAULT_RATES, 'express', ['country'], NOW)).toMatchObject({ shipping_cents: 1_999, days: 2, estimated_delivery: '2026-02-01' });
    expect(quote(DEFAULT_RATES, 'express', [], NOW)).toMatchObject({ shipping_cents: 0, days: 0, estimated_delivery: '2026-01-30' });
  });

  it('quotes every option, standard first', () => {
    expect(quotes(DEFAULT_RATES, ['zone'], NOW).map((q) => q.option)).toEqual(['standard', 'express']);
  });

  it('dates in UTC', () => {
    expect(deliveryDate(Date.UTC(2026, 11, 31, 23, 59), 1)).toBe('2027-01-01');
  });
});

describe('totals', () => {
  it('rounds tax half up on goods and shipping', () => {
    expect(taxOf(1_000, 725)).toBe(73); // 72.5
    expect(taxOf(999, 725)).toBe(72); // 72.43
    expect(taxOf(0, 2_500)).toBe(0);
    expect(totalsOf([line('a', 2, 1_250), line('b', 1, 999)], 499, 2_000)).toEqual({
      subtotal_cents: 3_499,
      shipping_cents: 499,
      tax_cents: 800, // 20 % of 3,998 = 799.6
      total_cents: 4_798,
    });
  });

  it('has no tax without a destination', () => {
    expect(totalsOf([line('a', 1, 500)], 0, null)).toEqual({ subtotal_cents: 500, shipping_cents: 0, tax_cents: 0, total_cents: 500 });
  });
});

describe('priceChanges', () => {
  it('names the lines whose price moved', () => {
    const before = [line('a', 1, 100), line('b', 1, 200)];
    expect(priceChanges(before, [line('a', 1, 100), line('b', 1, 250)])).toEqual([{ product_id: 'b', from_cents: 200, to_cents: 250 }]);
    expect(priceChanges(before, before)).toEqual([]);
  });
});
