import { describe, expect, it } from 'vitest';
import { PRICE_BOUNDS, priceBuckets, priceRanges, ratingSteps } from './facets.ts';

describe('price ranges', () => {
  it('cover every price once: each range ends one cent below the next, the last is open', () => {
    const b = priceBuckets();
    expect(b).toHaveLength(PRICE_BOUNDS.length);
    expect(b[0]).toEqual({ from: 0, to: 999 });
    for (let i = 1; i < b.length; i++) expect(b[i]!.from).toBe(b[i - 1]!.to! + 1);
    expect(b.at(-1)!.to).toBeNull();
  });

  it('pair counts with ranges in order and leave out empty ranges', () => {
    expect(priceRanges([0, 3, 0, 1])).toEqual([
      { from: 1_000, to: 2_499, count: 3 },
      { from: 5_000, to: 9_999, count: 1 },
    ]);
  });
});

describe('rating steps', () => {
  it('pair counts with thresholds from 4 stars down, leaving out empty ones', () => {
    expect(ratingSteps([2, 5, 5, 0])).toEqual([
      { min: 4, count: 2 },
      { min: 3, count: 5 },
      { min: 2, count: 5 },
    ]);
  });
});
