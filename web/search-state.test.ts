import { describe, expect, it } from 'vitest';
import { pageSearch, pagerPages, priceValue, searchHref } from './search-state.ts';

describe('pageSearch', () => {
  it('turns the price range into the search bounds and keeps the rest', () => {
    expect(pageSearch({ q: ['tent'], price: ['1000-5000'], brand: ['A', 'B'] })).toMatchObject({
      q: 'tent',
      brands: ['A', 'B'],
      priceMin: 1000,
      priceMax: 5000,
    });
    expect(pageSearch({ price: ['20000-'] })).toMatchObject({ priceMin: 20_000, priceMax: undefined });
    expect(pageSearch({ price: [''], rating_min: [''], sort: [''] })).toMatchObject({ priceMin: undefined, ratingMin: undefined, sort: 'relevance' });
  });

  it('names a bad price range together with every other bad parameter', () => {
    for (const price of [['cheap'], ['-5'], ['1-2', '3-4']]) {
      expect(() => pageSearch({ price, sort: ['sideways'] })).toThrow(
        expect.objectContaining({
          kind: 'invalid',
          details: { errors: [expect.objectContaining({ field: 'price' }), expect.objectContaining({ field: 'sort' })] },
        }),
      );
    }
  });

  it('writes the range a radio button sends', () => {
    expect(priceValue(0, 999)).toBe('0-999');
    expect(priceValue(50_000, null)).toBe('50000-');
  });
});

describe('searchHref', () => {
  const current = { q: ['shoe'], brand: ['Northwind'], page: ['3'] };

  it('replaces the named parameters and starts again at page 1', () => {
    expect(searchHref(current, { brand: ['Northwind', 'Sonora'] })).toBe('/search?q=shoe&brand=Northwind&brand=Sonora');
    expect(searchHref(current, { sort: 'price_asc' })).toBe('/search?q=shoe&brand=Northwind&sort=price_asc');
  });

  it('keeps the other parameters when only the page changes', () => {
    expect(searchHref(current, { page: '4' })).toBe('/search?q=shoe&brand=Northwind&page=4');
  });

  it('removes a parameter given null and escapes values', () => {
    expect(searchHref(current, { brand: null })).toBe('/search?q=shoe');
    expect(searchHref({}, { q: 'a&b c' })).toBe('/search?q=a%26b+c');
    expect(searchHref({ q: ['x'] }, { q: null })).toBe('/search');
  });
});

describe('pagerPages', () => {
  it('shows every page of a short result', () => {
    expect(pagerPages(1, 1)).toEqual([1]);
    expect(pagerPages(2, 4)).toEqual([1, 2, 3, 4]);
  });

  it('marks the gaps around the current page', () => {
    expect(pagerPages(10, 40)).toEqual([1, null, 8, 9, 10, 11, 12, null, 40]);
    expect(pagerPages(1, 40)).toEqual([1, 2, 3, null, 40]);
    expect(pagerPages(39, 40)).toEqual([1, null, 37, 38, 39, 40]);
  });
});
