import { FACET_VALUES, FACETS, OUT_OF_STOCK_BOOST, priceBuckets, RATING_STEPS, type Facet } from '../facets.ts';
import type { SearchQuery, Sort } from '../search.ts';

/** A parameterised statement for `sql.unsafe(text, params)`. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** ts_rank weights of description (D), categories (C), brand (B) and title (A). */
const RANK_WEIGHTS = `'{0.1, 0.2, 0.4, 1.0}'`;

/** Row order of each sort, over columns of the candidate rows aliased `a`; product_id breaks every tie. */
const ORDER: Record<Sort, (a: string) => string> = {
  relevance: (a) => `${a}.exact desc, ${a}.score desc, ${a}.product_id`,
  price_asc: (a) => `${a}.price_cents, ${a}.product_id`,
  price_desc: (a) => `${a}.price_cents desc, ${a}.product_id`,
  rating: (a) => `${a}.rating_avg desc, ${a}.rating_count desc, ${a}.product_id`,
  newest: (a) => `${a}.created_at desc, ${a}.product_id`,
  bestselling: (a) => `${a}.sales_count desc, ${a}.product_id`,
};

function builder() {
  const params: unknown[] = [];
  const param = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  return { params, param };
}

/** The conditions of one request: on the text (and stock), and per facet (left out when computing that facet). */
function conditions(query: SearchQuery, tsquery: string | null, param: ReturnType<typeof builder>['param']) {
  const tq = tsquery === null ? null : `to_tsquery('english', ${param(tsquery, 'text')})`;
  const base = [tq && `p.search_vector @@ ${tq}`, query.inStock ? 'p.in_stock' : null].filter((c) => c !== null);
  const price = [
    query.priceMin !== undefined ? `price_cents >= ${param(query.priceMin, 'bigint')}` : null,
    query.priceMax !== undefined ? `price_cents <= ${param(query.priceMax, 'bigint')}` : null,
  ].filter((c) => c !== null);
  const facets: Record<Facet, string | null> = {
    brand: query.brands.length > 0 ? `lower(brand) = any(${param(query.brands.map((b) => b.toLowerCase()), 'text[]')})` : null,
    category: query.categories.length > 0 ? `category_slugs && ${param(query.categories, 'text[]')}` : null,
    price: price.length > 0 ? price.join(' and ') : null,
    rating: query.ratingMin !== undefined ? `rating_avg >= ${param(query.ratingMin, 'numeric')}` : null,
  };
  /** A WHERE clause with every facet condition but `except`'s. */
  const where = (except: Facet | null) => {
    const list = FACETS.filter((f) => f !== except && facets[f] !== null).map((f) => facets[f]!);
    return list.length > 0 ? `where ${list.join(' and ')}` : '';
  };
  return { tq, base, facets, where };
}

/** The four facet columns, each counted over `rowsOf(facet)`; a facet in `skip` is answered null. */
function facetColumns(rowsOf: (f: Facet) => string, skip: ReadonlySet<CatalogWide> = new Set()): string {
  const buckets = priceBuckets()
    .map((b) => `count(*) filter (where price_cents >= ${b.from}${b.to === null ? '' : ` and price_cents <= ${b.to}`})`)
    .join(', ');
  const steps = RATING_STEPS.map((s) => `count(*) filter (where rating_avg >= ${s})`).join(', ');
  const columns: Record<Facet, string> = {
    brand: `(select coalesce(json_agg(json_build_array(f.brand, f.n) order by f.n desc, f.brand), '[]')
             from (select brand, count(*)::int as n from ${rowsOf('brand')} r where brand is not null
                   group by brand order by n desc, brand limit ${FACET_VALUES}) f)`,
    // Grouped by path first (a few hundred paths), then spread over the levels of each path.
    category: `(select coalesce(json_agg(json_build_array(f.slug, f.label, f.n) order by f.n desc, f.slug), '[]')
             from (select x.slug, min(x.label) as label, sum(g.n)::int as n
                   from (select category_slugs, category_path, count(*) as n from ${rowsOf('category')} r
                         group by category_slugs, category_path) g
                   cross join lateral unnest(g.category_slugs, g.category_path) as x(slug, label)
                   group by x.slug order by n desc, x.slug limit ${FACET_VALUES}) f)`,
    price: `(select json_build_array(${buckets}) from ${rowsOf('price')} r)`,
    rating: `(select json_build_array(${steps}) from ${rowsOf('rating')} r)`,
  };
  return FACETS.map((f) => `${skip.has(f) ? 'null' : columns[f]} as ${COLUMN[f]}`).join(',\n  ');
}

/** Parts of an answer that can be the whole catalog's: a facet's counts, or the total. */
export type CatalogWide = Facet | 'total';
/** The result column of each part of an answer. */
export const COLUMN = { total: 'total', brand: 'brands', category: 'categories', price: 'prices', rating: 'ratings' } as const;

/**
 * What a search without words shares with the whole catalog (or all of it in stock, with `in_stock=true`): with no
 * filter at all, the total and every facet; with one filter, that filter's facet (counted without its own filter).
 * The engine takes those from `catalogFacetsStatement` (cached) instead of counting them again.
 */
export function catalogWide(query: SearchQuery, tsquery: string | null): Set<CatalogWide> {
  if (tsquery !== null) return new Set();
  const { facets } = conditions(query, null, () => '');
  const active = FACETS.filter((f) => facets[f] !== null);
  if (active.length === 0) return new Set([...FACETS, 'total']);
  return new Set(active.length === 1 ? active : []);
}

/** The whole catalog's product count and facets (only what is in stock, if so asked), as a search without filters gets them. */
export function catalogFacetsStatement(inStock: boolean): Statement {
  const rows = inStock ? '(select * from products where in_stock)' : 'products';
  return { text: `select (select count(*) from ${rows} r)::int as total,\n  ${facetColumns(() => rows)}`, params: [] };
}

/**
 * One statement answering a search: `total`, the requested page as JSON `products`, and the facets (`brands`,
 * `categories` as [value, count] / [slug, label, count] arrays, `prices` and `ratings` as count arrays in
 * PRICE_BOUNDS / RATING_STEPS order), each counted with every filter but its own; what `skip` names is null.
 * Relevance is ts_rank × (1 + ln(1 + sales)) × (1, or OUT_OF_STOCK_BOOST when out of stock), an exact title
 * match first. `tsquery` null means browse (no text condition; relevance is then popularity × availability).
 * The matching rows are read once into `hits` (unless only the page needs them); a facet with a filter of its own
 * reads the rows it needs again.
 */
export function searchStatement(
  query: SearchQuery,
  tsquery: string | null,
  skip: ReadonlySet<CatalogWide> = new Set(),
): Statement {
  const { params, param } = builder();
  const c = conditions(query, tsquery, param);
  const relevance = query.sort === 'relevance';
  const popularity = `(1 + ln(1 + p.sales_count::float8)) * (case when p.in_stock then 1 else ${OUT_OF_STOCK_BOOST} end)`;
  const score = !relevance ? '0' : c.tq ? `ts_rank(${RANK_WEIGHTS}, p.search_vector, ${c.tq}) * ${popularity}` : popularity;
  // The ids with exactly the query as title, found through the products_title_norm index, once per statement.
  const exact =
    relevance && c.tq
      ? `p.product_id = any(array(select e.product_id from products e
                                  where catalog_norm(e.title) = catalog_norm(${param(query.q, 'text')})))`
      : 'false';
  const limit = param(query.pageSize, 'int');
  const offset = param((query.page - 1) * query.pageSize, 'int');
  // Materialised when a text condition narrows the rows; otherwise inlined, so each reader uses indexes.
  const text = `
with m as ${c.tq ? '' : 'not '}materialized (
  select p.product_id, p.brand, p.category_slugs, p.category_path, p.price_cents, p.rating_avg, p.rating_count,
         p.sales_count, p.created_at, ${score} as score, ${exact} as exact
  from products p
  ${c.base.length > 0 ? `where ${c.base.join(' and ')}` : ''}
),
hits as ${skip.has('total') || c.where(null) === '' ? 'not ' : ''}materialized (select * from m ${c.where(null)})
select
  ${skip.has('total') ? 'null' : '(select count(*) from hits)::int'} as total,
  (select coalesce(json_agg(json_build_object(
            'product_id', p.product_id, 'title', p.title, 'brand', p.brand, 'price_cents', p.price_cents,
            'currency', p.currency, 'rating_avg', p.rating_avg::float8, 'rating_count', p.rating_count,
            'category_path', p.category_path, 'in_stock', p.in_stock, 'image', p.images->>0)
          order by ${ORDER[query.sort]('h')}), '[]')
   from (select * from hits a order by ${ORDER[query.sort]('a')} limit ${limit} offset ${offset}) h
   join products p on p.product_id = h.product_id) as products,
  ${facetColumns((f) => (c.facets[f] === null ? 'hits' : `(select * from m ${c.where(f)})`), skip)}`;
  return { text, params };
}

/** How many products a search finds (every filter applied), to weigh a respelled query. */
export function countStatement(query: SearchQuery, tsquery: string): Statement {
  const { params, param } = builder();
  const c = conditions(query, tsquery, param);
  const text = `select count(*)::int as total from (select p.* from products p where ${c.base.join(' and ')}) m ${c.where(null)}`;
  return { text, params };
}
