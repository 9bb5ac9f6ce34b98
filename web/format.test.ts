import { describe, expect, it } from 'vitest';
import { formatMoney, formatUtc, initials, ratingText, tileShade } from './format.ts';

describe('formatMoney', () => {
  it('writes minor units in the currency, with grouping', () => {
    expect(formatMoney(129_900, 'USD')).toBe('$1,299.00');
    expect(formatMoney(1_800, 'EUR')).toBe('€18.00');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
  });

  it('keeps an unknown currency code after the amount', () => {
    expect(formatMoney(1_000, 'XX1')).toBe('10.00 XX1');
  });
});

describe('ratingText', () => {
  it('says there are no reviews rather than a zero rating', () => {
    expect(ratingText(0, 0)).toBe('No reviews yet');
  });

  it('gives one decimal and the count, singular for one', () => {
    expect(ratingText(4.25, 1)).toBe('4.3 out of 5 (1 review)');
    expect(ratingText(3, 12)).toBe('3.0 out of 5 (12 reviews)');
  });
});

describe('formatUtc', () => {
  it('names the day, month, year and the UTC time', () => {
    expect(formatUtc('2026-11-27T14:05:09Z')).toBe('27 Nov 2026, 14:05 UTC');
  });
});

describe('tiles', () => {
  it('gives a product the same shade every time, within the palette', () => {
    const id = '0194c0de-0000-7000-8000-000000000001';
    expect(tileShade(id)).toBe(tileShade(id));
    expect(tileShade(id, 4)).toBeLessThan(4);
    const shades = new Set(Array.from({ length: 50 }, (_, i) => tileShade(`product-${i}`)));
    expect(shades.size).toBe(6);
  });

  it('takes the first letters of the first two words', () => {
    expect(initials('Wireless noise cancelling headphones')).toBe('WN');
    expect(initials('  "Aurora" runner')).toBe('AR');
    expect(initials('14 inch laptop')).toBe('1I');
    expect(initials('— ')).toBe('');
  });
});
