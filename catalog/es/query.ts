import { FACET_VALUES, OUT_OF_STOCK_BOOST, priceBuckets, priceRanges, RATING_STEPS, ratingSteps, type Facet } from '../facets.ts';
import type { TermInfo, Vocabulary } from '../query-plan.ts';
import type { ProductHit, SearchQuery, SearchResult, Sort, Suggestion } from '../search.ts';

type Json = Record<string, unknown>;
/** Puts exact title matches above everything else. */
const EXACT_BOOST = 1e6;

const SORT: Record<Sort, Json[]> = {
  relevance: [{ _score: 'desc' }, { product_id: 'asc' }],
  price_asc: [{ price_cents: 'asc' }, { product_id: 'asc' }],
  price_desc: [{ price_cents: 'desc' }, { product_id: 'asc' }],
  rating: [{ rating_avg: 'desc' }, { rating_count: 'desc' }, { product_id: 'asc' }],
  newest: [{ created_at: 'desc' }, { product_id: 'asc' }],
  bestselling: [{ sales_count: 'desc' }, { product_id: 'asc' }],
};

/** One filter per facet the query sets. */
function facetFilters(q: SearchQuery): Partial<Record<Facet, Json>> {
  const out: Partial<Record<Facet, Json>> = {};
  if (q.brands.length > 0) out.brand = { terms: { 'brand.lower': q.brands.map((b) => b.toLowerCase()) } };
  if (q.categories.length > 0) out.category = { terms: { category_slugs: q.categories } };
  if (q.priceMin !== undefined || q.priceMax !== undefined) {
    out.price = { range: { price_cents: { ...(q.priceMin !== undefined ? { gte: q.priceMin } : {}), ...(q.priceMax !== undefined ? { lte: q.priceMax } : {}) } } };
  }
  if (q.ratingMin !== undefined) out.rating = { range: { rating_avg: { gte: q.ratingMin } } };
  return out;
}

const allBut = (filters: Partial<Record<Facet, Json>>, except: Facet | null) => ({
  bool: { filter: Object.entries(filters).filter(([f]) => f !== except).map(([, c]) => c) },
});

/**
 * The text condition: every word must match (title, brand, category names or description), as typed (synonyms
 * apply) or, for the words the index does not know, as one of the close words the spelling suggester offered.
 */
export function textQuery(q: string, alternatives: readonly (readonly string[])[]): Json {
  const asTyped = { match: { all_text: { query: q, operator: 'and' } } };
  if (alternatives.every((a) => a.length === 1)) return asTyped;
  const perWord = alternatives.map((alts) => ({
    bool: { should: alts.map((a) => ({ match: { all_text: { query: a, operator: 'and' } } })), minimum_should_match: 1 },
  }));
  return { bool: { should: [asTyped, { bool: { must: perWord } }], minimum_should_match: 1 } };
}

/**
 * A search request: the text (`text`, null to browse) and stock conditions in the query, the facet filters as a
 * post filter, each facet aggregated under every filter but its own. Relevance: the text's score (title × 10,
 * brand × 4, categories × 2 over the required match) × (1 + ln(1 + sales)) × availability, exact titles first.
 */
export function searchBody(query: SearchQuery, text: Json | null): Json {
  const filters = facetFilters(query);
  const scored = text === null
    ? { match_all: {} }
    : {
        bool: {
          must: [text],
          should: [
            { match: { title: { query: query.q, boost: 10 } } },
            { match: { 'brand.text': { query: query.q, boost: 4 } } },
            { match: { category_text: { query: query.q, boost: 2 } } },
          ],
        },
      };
  const base = { bool: { must: [scored], filter: query.inStock ? [{ term: { in_stock: true } }] : [] } };
  const ranked = {
    function_score: {
      query: {
        function_score: {
          query: base,
          functions: [{ weight: 1 }, { field_value_factor: { field: 'sales_count', modifier: 'ln1p', missing: 0 } }],
          score_mode: 'sum',
          boost_mode: 'multiply',
        },
      },
      functions: [
        { filter: { term: { in_stock: false } }, weight: OUT_OF_STOCK_BOOST },
        ...(text === null ? [] : [{ filter: { term: { 'title.exact': query.q } }, weight: EXACT_BOOST }]),
      ],
      score_mode: 'multiply',
      boost_mode: 'multiply',
    },
  };
  const bucket = (f: Facet, agg: Json) => ({ filter: allBut(filters, f), aggs: { v: agg } });
  return {
    query: query.sort === 'relevance' ? ranked : base,
    post_filter: allBut(filters, null),
    sort: SORT[query.sort],
    from: (query.page - 1) * query.pageSize,
    size: query.pageSize,
    track_total_hits: true,
    _source: ['product_id', 'title', 'brand', 'price_cents', 'currency', 'rating_avg', 'rating_count', 'category_path', 'in_stock', 'image'],
    aggs: {
      brands: bucket('brand', { terms: { field: 'brand', size: FACET_VALUES, order: [{ _count: 'desc' }, { _key: 'asc' }] } }),
      categories: bucket('category', { terms: { field: 'category_keys', size: FACET_VALUES, order: [{ _count: 'desc' }, { _key: 'asc' }] } }),
      prices: bucket('price', { range: { field: 'price_cents', ranges: priceBuckets().map((b) => ({ from: b.from, ...(b.to === null ? {} : { to: b.to + 1 }) })) } }),
      ratings: bucket('rating', { range: { field: 'rating_avg', ranges: RATING_STEPS.map((s) => ({ from: s })) } }),
    },
  };
}

/** How many products a query finds with every filter (`hits.total`), for weighing a respelling. */
export const countBody = (query: SearchQuery, text: Json): Json => ({
  size: 0,
  track_total_hits: true,
  query: { bool: { must: [text], filter: [...(query.inStock ? [{ term: { in_stock: true } }] : []), allBut(facetFilters(query), null)] } },
});

interface Bucket {
  key: string | number;
  doc_count: number;
  from?: number;
}
/** A `category_keys` value: the slug, then the name after the first colon. */
const splitKey = (key: string | number): [string, string] => {
  const k = String(key);
  const at = k.indexOf(':');
  return [k.slice(0, at), k.slice(at + 1)];
};
const countFrom = (buckets: readonly Bucket[], from: number) => buckets.find((b) => b.from === from)?.doc_count ?? 0;
interface SearchResponse {
  hits: { total: { value: number }; hits: { _source: ProductHit }[] };
  aggregations: Record<'brands' | 'categories' | 'prices' | 'ratings', { v: { buckets: Bucket[] } }>;
}

/** A search response in the API's shape (facet values ordered by count, then value). */
export function parseSearch(res: SearchResponse, query: SearchQuery): SearchResult {
  const a = res.aggregations;
  return {
    products: res.hits.hits.map((h) => h._source),
    facets: {
      brands: a.brands.v.buckets.map((b) => ({ value: String(b.key), count: b.doc_count })),
      categories: a.categories.v.buckets.map((b) => {
        const [value, label] = splitKey(b.key);
        return { value, label, count: b.doc_count };
      }),
      // Range buckets come back in ascending order of `from`, whatever the request's order.
      price_ranges: priceRanges(priceBuckets().map((r) => countFrom(a.prices.v.buckets, r.from))),
      ratings: ratingSteps(RATING_STEPS.map((s) => countFrom(a.ratings.v.buckets, s))),
    },
    total: res.hits.total.value,
    page: query.page,
    page_size: query.pageSize,
  };
}

/** Spelling suggestions for the query words: `missing` for words the index lacks, `popular` for more frequent ones. */
export const suggestBody = (words: readonly string[]): Json => ({
  size: 0,
  suggest: {
    text: words.join(' '),
    missing: { term: { field: 'all_text.plain', suggest_mode: 'missing', size: 2, min_word_length: 4 } },
    popular: { term: { field: 'all_text.plain', suggest_mode: 'popular', size: 3, min_word_length: 4 } },
  },
});

interface TermSuggestion {
  text: string;
  options: { text: string; score: number; freq: number }[];
}

/**
 * The suggester's answer as vocabularies for the query planner: `typos` knows the missing words (frequency 0,
 * with close words), `respell` offers more frequent words for any word.
 */
export function parseSuggest(res: { suggest?: Record<'missing' | 'popular', TermSuggestion[]> }): { typos: Vocabulary; respell: Vocabulary } {
  const toVocabulary = (list: TermSuggestion[] = []) =>
    new Map<string, TermInfo>(
      list.filter((s) => s.options.length > 0).map((s) => [s.text, { freq: 0, candidates: s.options.map((o) => ({ term: o.text, sim: o.score, freq: o.freq })) }]),
    );
  return { typos: toVocabulary(res.suggest?.missing), respell: toVocabulary(res.suggest?.popular) };
}

/**
 * Autocomplete in one request: best-selling products whose title words start as the words do (aggregations
 * list the brands and categories with a word starting with the last words).
 */
export function autocompleteBody(tokens: readonly string[], limit: number): Json {
  const phrase = tokens.join(' ');
  const slug = tokens.join('-');
  return {
    size: limit,
    query: { match: { 'title.prefix': { query: phrase, operator: 'and' } } },
    sort: [{ sales_count: 'desc' }, { product_id: 'asc' }],
    _source: ['product_id', 'title'],
    aggs: {
      // Over the whole catalog, not only the products found.
      names: {
        global: {},
        aggs: {
          // A prefix filter rather than `include` on brand.lower: OpenSearch 2.19 fails (index out of bounds) when
          // an include pattern matches no value of a single-valued keyword.
          brands: { filter: { prefix: { 'brand.lower': phrase } }, aggs: { v: { terms: { field: 'brand', size: limit } } } },
          categories: { terms: { field: 'category_keys', include: `(${slug}[^:]*|[^:]*-${slug}[^:]*):.*`, size: limit } },
        },
      },
    },
  };
}

/** Categories and brands first (at most half), then products, best first. */
export function parseAutocomplete(res: {
  hits: { hits: { _source: { product_id: string; title: string } }[] };
  aggregations: { names: { brands: { v: { buckets: Bucket[] } }; categories: { buckets: Bucket[] } } };
}, limit: number): Suggestion[] {
  const names: (Suggestion & { n: number })[] = [
    ...res.aggregations.names.categories.buckets.map((b) => {
      const [id, text] = splitKey(b.key);
      return { text, kind: 'category' as const, id, n: b.doc_count };
    }),
    ...res.aggregations.names.brands.v.buckets.map((b) => ({ text: String(b.key), kind: 'brand' as const, n: b.doc_count })),
  ];
  const top = names
    .sort((x, y) => y.n - x.n || x.text.localeCompare(y.text))
    .slice(0, Math.ceil(limit / 2))
    .map((s): Suggestion => (s.id === undefined ? { text: s.text, kind: s.kind } : { text: s.text, kind: s.kind, id: s.id }));
  const products = res.hits.hits.map((h): Suggestion => ({ text: h._source.title, kind: 'product', id: h._source.product_id }));
  return [...top, ...products].slice(0, limit);
}
