import { AppError } from '../platform/index.ts';
import { SORTS, type SearchQuery, type Sort } from './search.ts';
import { slugify } from './text.ts';

/** Largest page size a client may ask for. */
const MAX_PAGE_SIZE = 100;
/** Results beyond this position are not served (deep pages cost the most and help nobody). */
const MAX_RESULT_WINDOW = 10_000;
const MAX_PRICE = 1_000_000_000_000;

type FieldError = { field: string; message: string };
type Queries = Record<string, string[] | undefined>;

/** Reads query parameters by name, collecting every problem instead of stopping at the first. */
function reader(queries: Queries, known: readonly string[]) {
  const errors: FieldError[] = [];
  for (const name of Object.keys(queries)) {
    if (!known.includes(name)) errors.push({ field: name, message: `is not a parameter here; known: ${known.join(', ')}` });
  }
  const one = (name: string): string | undefined => {
    const values = queries[name] ?? [];
    if (values.length > 1) errors.push({ field: name, message: 'may be given once' });
    return values[0];
  };
  const int = (name: string, min: number, max: number, raw = one(name)): number | undefined => {
    if (raw === undefined) return undefined;
    const n = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    errors.push({ field: name, message: `must be a whole number from ${min} to ${max}` });
    return undefined;
  };
  const fail = (message: string) => {
    if (errors.length > 0) throw new AppError('invalid', message, { details: { errors } });
  };
  return { errors, one, int, fail };
}

/** A canonical parameter and its alias: either may be given, both only when they agree. */
function aliased(r: ReturnType<typeof reader>, name: string, alias: string) {
  const a = r.int(name, 0, MAX_PRICE);
  const b = r.int(alias, 0, MAX_PRICE);
  if (a !== undefined && b !== undefined && a !== b) r.errors.push({ field: alias, message: `disagrees with ${name}` });
  return a ?? b;
}

function many(r: ReturnType<typeof reader>, queries: Queries, name: string): string[] {
  const values = (queries[name] ?? []).map((v) => v.trim());
  if (values.length > 20) r.errors.push({ field: name, message: 'may be given at most 20 times' });
  if (values.some((v) => v === '' || v.length > 100)) r.errors.push({ field: name, message: 'must be 1 to 100 characters' });
  return [...new Set(values)];
}

const SEARCH_PARAMS = ['q', 'category', 'brand', 'price_min', 'price_max', 'min_price', 'max_price', 'rating_min',
  'in_stock', 'sort', 'page', 'page_size'] as const;

/**
 * Validates search parameters (as `URLSearchParams`-style lists of values). Throws an `invalid` AppError that
 * lists every bad parameter: unknown names, repeated single values, negative or non-integer prices, a price
 * range upside down, ratings outside 0–5, an unknown sort, page sizes above MAX_PAGE_SIZE, pages beyond
 * MAX_RESULT_WINDOW.
 */
export function parseSearchParams(queries: Queries): SearchQuery {
  const r = reader(queries, SEARCH_PARAMS);
  const q = (r.one('q') ?? '').trim();
  if (q.length > 200) r.errors.push({ field: 'q', message: 'must be at most 200 characters' });
  const brands = many(r, queries, 'brand');
  const categories = [...new Set(many(r, queries, 'category').map(slugify))];
  if (categories.includes('')) r.errors.push({ field: 'category', message: 'must hold a letter or a digit' });
  const priceMin = aliased(r, 'price_min', 'min_price');
  const priceMax = aliased(r, 'price_max', 'max_price');
  if (priceMin !== undefined && priceMax !== undefined && priceMin > priceMax) {
    r.errors.push({ field: 'price_max', message: 'must not be below price_min' });
  }
  const rating = r.one('rating_min');
  const ratingMin = rating === undefined ? undefined : Number(rating);
  if (ratingMin !== undefined && !(rating!.trim() !== '' && ratingMin >= 0 && ratingMin <= 5)) {
    r.errors.push({ field: 'rating_min', message: 'must be a number from 0 to 5' });
  }
  const stock = r.one('in_stock');
  if (stock !== undefined && !['true', 'false', '1', '0'].includes(stock)) {
    r.errors.push({ field: 'in_stock', message: 'must be true or false' });
  }
  const sort = r.one('sort') ?? 'relevance';
  if (!(SORTS as readonly string[]).includes(sort)) r.errors.push({ field: 'sort', message: `must be one of ${SORTS.join(', ')}` });
  const page = r.int('page', 1, MAX_RESULT_WINDOW) ?? 1;
  const pageSize = r.int('page_size', 1, MAX_PAGE_SIZE) ?? 24;
  if (page * pageSize > MAX_RESULT_WINDOW) {
    r.errors.push({ field: 'page', message: `results beyond the first ${MAX_RESULT_WINDOW} are not served; narrow the search` });
  }
  r.fail('search parameters are invalid');
  return {
    q,
    brands,
    categories,
    priceMin,
    priceMax,
    ratingMin,
    inStock: stock === 'true' || stock === '1',
    sort: sort as Sort,
    page,
    pageSize,
  };
}

/** Validated autocomplete parameters: `q` (1–100 characters) and `limit` (1–20, default 8). */
export function parseAutocompleteParams(queries: Queries): { q: string; limit: number } {
  const r = reader(queries, ['q', 'limit']);
  const q = (r.one('q') ?? '').trim();
  if (q.length < 1 || q.length > 100) r.errors.push({ field: 'q', message: 'must be 1 to 100 characters' });
  const limit = r.int('limit', 1, 20) ?? 8;
  r.fail('autocomplete parameters are invalid');
  return { q, limit };
}
