import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { parseAutocompleteParams, parseSearchParams } from './search-params.ts';

const q = (s: string) => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(s)) (out[k] ??= []).push(v);
  return out;
};
const fieldsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).kind).toBe('invalid');
    return ((e as AppError).details.errors as { field: string }[]).map((x) => x.field);
  }
  throw new Error('expected an invalid-parameters error');
};

describe('parseSearchParams', () => {
  it('reads the full example of the issue', () => {
    const p = parseSearchParams(q('q=wireless+headphones&category=electronics&brand=Sony&brand=Bose&price_min=5000&price_max=20000&rating_min=4&in_stock=true&sort=relevance&page=1&page_size=24'));
    expect(p).toEqual({
      q: 'wireless headphones', brands: ['Sony', 'Bose'], categories: ['electronics'], priceMin: 5000,
      priceMax: 20000, ratingMin: 4, inStock: true, sort: 'relevance', page: 1, pageSize: 24,
    });
  });

  it('defaults to browsing by relevance, 24 a page', () => {
    expect(parseSearchParams({})).toMatchObject({ q: '', brands: [], categories: [], inStock: false, sort: 'relevance', page: 1, pageSize: 24 });
  });

  it('accepts min_price and max_price as aliases, and category names as well as slugs', () => {
    const p = parseSearchParams(q('min_price=100&max_price=900&category=Home+%26+Kitchen'));
    expect(p).toMatchObject({ priceMin: 100, priceMax: 900, categories: ['home-kitchen'] });
    expect(parseSearchParams(q('price_min=100&min_price=100')).priceMin).toBe(100);
  });

  it('refuses bad values, naming every bad parameter at once', () => {
    expect(fieldsOf(() => parseSearchParams(q('price_min=-1&page_size=10000&sort=cheapest')))).toEqual(['price_min', 'sort', 'page_size']);
    expect(fieldsOf(() => parseSearchParams(q('price_max=12.5')))).toEqual(['price_max']);
    expect(fieldsOf(() => parseSearchParams(q('price_min=500&price_max=100')))).toEqual(['price_max']);
    expect(fieldsOf(() => parseSearchParams(q('price_min=1&min_price=2')))).toEqual(['min_price']);
    expect(fieldsOf(() => parseSearchParams(q('rating_min=6')))).toEqual(['rating_min']);
    expect(fieldsOf(() => parseSearchParams(q('rating_min=')))).toEqual(['rating_min']);
    expect(fieldsOf(() => parseSearchParams(q('in_stock=maybe')))).toEqual(['in_stock']);
    expect(fieldsOf(() => parseSearchParams(q('page=0')))).toEqual(['page']);
    expect(fieldsOf(() => parseSearchParams(q('page=200&page_size=100')))).toEqual(['page']);
  });

  it('refuses unknown and repeated single-valued parameters', () => {
    expect(fieldsOf(() => parseSearchParams(q('colour=red')))).toEqual(['colour']);
    expect(fieldsOf(() => parseSearchParams(q('sort=newest&sort=rating')))).toEqual(['sort']);
    expect(fieldsOf(() => parseSearchParams(q('brand=')))).toEqual(['brand']);
    expect(fieldsOf(() => parseSearchParams(q('category=%26%26')))).toEqual(['category']);
  });
});

describe('parseAutocompleteParams', () => {
  it('needs a prefix and caps the limit', () => {
    expect(parseAutocompleteParams(q('q=wirel'))).toEqual({ q: 'wirel', limit: 8 });
    expect(fieldsOf(() => parseAutocompleteParams(q('q=')))).toEqual(['q']);
    expect(fieldsOf(() => parseAutocompleteParams(q('q=a&limit=50')))).toEqual(['limit']);
  });
});
