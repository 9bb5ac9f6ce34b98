import { parseSearchParams, type SearchQuery } from '../catalog/index.ts';
import { AppError, isAppError } from '../platform/index.ts';

/** Query parameters as lists of values, as `c.req.queries()` gives them. */
export type Queries = Record<string, string[] | undefined>;

type FieldError = { field: string; message: string };

/**
 * The search page's parameters as a search: the API's names, except the price range, which the page takes as one
 * `price` value `from-to` (minor units; `to` empty for the open top range) so that a radio button can choose it.
 * An empty value counts as none (the form sends `rating_min=` for "Any rating"). Throws one `invalid` AppError
 * naming every bad parameter, `price` among them.
 */
export function pageSearch(page: Queries): SearchQuery {
  const given = Object.entries(page).map(([k, v]) => [k, (v ?? []).filter((x) => x !== '')] as const);
  const { price, ...rest } = Object.fromEntries(given.filter(([, v]) => v.length > 0)) as Queries;
  const value = price?.[0];
  const m = /^(\d{1,13})-(\d{1,13})?$/.exec(value ?? '');
  const errors: FieldError[] = [];
  if (value !== undefined && (!m || price!.length > 1)) {
    errors.push({ field: 'price', message: 'must be one range such as 1000-5000 or 1000-' });
  }
  const bounds = m ? { price_min: [m[1]!], ...(m[2] === undefined ? {} : { price_max: [m[2]] }) } : {};
  try {
    const query = parseSearchParams({ ...rest, ...bounds });
    if (errors.length === 0) return query;
  } catch (err) {
    if (!isAppError(err) || err.kind !== 'invalid') throw err;
    errors.push(...((err.details.errors as FieldError[] | undefined) ?? []));
  }
  throw new AppError('invalid', 'search parameters are invalid', { details: { errors } });
}

/** The `price` value of a range. */
export const priceValue = (from: number, to: number | null): string => `${from}-${to ?? ''}`;

/**
 * The search page's URL with some parameters replaced (a list replaces all values of its name, null removes the
 * name); any change but the page's own starts again at page 1. Parameters keep their order, values their case.
 */
export function searchHref(current: Queries, patch: Record<string, string | string[] | null>): string {
  const next = new URLSearchParams();
  const names = [...new Set([...Object.keys(current), ...Object.keys(patch)])];
  const resetPage = Object.keys(patch).some((k) => k !== 'page');
  for (const name of names) {
    if (name === 'page' && resetPage && !('page' in patch)) continue;
    const value = name in patch ? patch[name] : current[name];
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (v !== '') next.append(name, v);
  }
  const text = next.toString();
  return text === '' ? '/search' : `/search?${text}`;
}

/** The pages a pager links: the first, the last, and two either side of the current one, with gaps as null. */
export function pagerPages(current: number, last: number): (number | null)[] {
  const wanted = new Set([1, last, current - 2, current - 1, current, current + 1, current + 2]);
  const pages = [...wanted].filter((p) => p >= 1 && p <= last).sort((a, b) => a - b);
  return pages.flatMap((p, i) => (i > 0 && p - pages[i - 1]! > 1 ? [null, p] : [p]));
}
