import { AppError, type Sql } from '../../platform/index.ts';
import { priceRanges, ratingSteps } from '../facets.ts';
import {
  FEW_RESULTS,
  lookupWords,
  respell,
  segments,
  toTsquery,
  type TermInfo,
  type Vocabulary,
} from '../query-plan.ts';
import type { ProductChange, SearchEngine, SearchQuery, SearchResult, Suggestion } from '../search.ts';
import type { Synonyms } from '../synonyms.ts';
import { tokenize } from '../text.ts';
import { autocompleteStatements } from './autocomplete-sql.ts';
import {
  catalogFacetsStatement,
  catalogWide,
  COLUMN,
  countStatement,
  searchStatement,
  type Statement,
} from './search-sql.ts';

export type Remember = <T>(key: string, stock: boolean, compute: () => Promise<T>) => Promise<T>;

export interface PostgresSearchOptions {
  /** A pool for search statements (its own session settings, so slow searches cannot starve other work); the caller ends it. */
  sql: Sql;
  synonyms: Synonyms;
  /**
   * Keeps the whole catalog's total and facets until products change (or stock, when `stock` says they depend on
   * it): the catalog passes its cache.
   */
  remember: Remember;
}

type Row = Omit<Suggestion, 'id'> & { id: string | null };

interface SearchRow {
  total: number;
  products: SearchResult['products'];
  brands: [string, number][];
  categories: [string, string, number][];
  prices: number[];
  ratings: number[];
}

/**
 * Brings PostgreSQL's search state up to date after these changes: each product's `in_stock` flag and the
 * vocabulary. Resolves false only when no search answer can have changed (stock moved but no product went in or
 * out of stock). Idempotent. Both engines keep this state (the Elasticsearch engine's typo rules read it too).
 */
export async function indexInPostgres(sql: Sql, changes: readonly ProductChange[]): Promise<boolean> {
  const ids = [...new Set(changes.map((c) => c.product_id))];
  const created = [...new Set(changes.filter((c) => c.type === 'product.created').map((c) => c.product_id))];
  const updated = [...new Set(changes.filter((c) => c.type === 'product.updated').map((c) => c.product_id))];
  return sql.begin(async (tx) => {
    // The indexer's own bookkeeping announces nothing (no event loop through product.events).
    await tx`set local flashline.product_events = 'off'`;
    const flipped = await tx`
      update products p set in_stock = s.in_stock
      from (select q.product_id,
                   exists (select 1 from inventory i where i.product_id = q.product_id and i.available_count > 0)
                     as in_stock
            from products q where q.product_id = any(${ids}::uuid[])) s
      where p.product_id = s.product_id and p.in_stock is distinct from s.in_stock`;
    if (created.length > 0) await tx`select catalog_note_terms(${created}::uuid[], true)`;
    if (updated.length > 0) await tx`select catalog_note_terms(${updated}::uuid[], false)`;
    return flipped.count > 0 || changes.some((c) => c.type !== 'product.stock_changed');
  });
}

/**
 * The embedded engine: PostgreSQL itself. Search reads the products table directly (generated tsvector with a
 * GIN index, category slugs, a denormalised in_stock flag) and the catalog_terms vocabulary (trigram index) for
 * typo tolerance, did-you-mean and autocomplete; `index` keeps in_stock and the vocabulary up to date.
 */
export function createPostgresSearch(o: PostgresSearchOptions): SearchEngine {
  const { sql, synonyms } = o;
  const { remember } = o;
  const run = async <T>(s: Statement): Promise<T[]> => {
    try {
      return (await sql.unsafe(s.text, s.params as never[])) as unknown as T[];
    } catch (err) {
      // statement_timeout of the read pool: an overloaded database answers "try again", not a hung request.
      if ((err as { code?: string }).code === '57014') {
        throw new AppError('unavailable', 'search is taking too long right now; try again shortly', {
          cause: err,
          details: { retry_after: 1 },
        });
      }
      throw err;
    }
  };
  const catalogWideRow = (inStock: boolean) =>
    remember(inStock ? 'catalog-facets-in-stock' : 'catalog-facets', inStock, async () => {
      const [row] = await run<SearchRow>(catalogFacetsStatement(inStock));
      return row!;
    });

  const vocabulary = async (tokens: string[]): Promise<Vocabulary> => {
    const words = lookupWords(tokens);
    if (words.length === 0) return new Map();
    const rows = await sql<({ word: string } & TermInfo)[]>`
      select t.word,
             coalesce((select freq from catalog_terms where kind = 'word' and term = t.word), 0) as freq,
             coalesce((select json_agg(json_build_object('term', c.term, 'sim', c.sim, 'freq', c.freq)
                                       order by c.sim desc, c.freq desc)
                       from (select term, freq, similarity(term, t.word) as sim from catalog_terms
                             where kind = 'word' and term % t.word and term <> t.word
                             order by sim desc, freq desc limit 5) c), '[]') as candidates
      from unnest(${words}::text[]) as t(word)`;
    return new Map(rows.map((r) => [r.word, { freq: r.freq, candidates: r.candidates }]));
  };

  /** A respelling that finds more than the query did, or nothing. */
  const didYouMean = async (query: SearchQuery, tokens: string[], vocab: Vocabulary, total: number) => {
    const respelled = respell(tokens, vocab);
    if (respelled === null) return undefined;
    const tsquery = toTsquery(segments(tokenize(respelled), synonyms, vocab));
    const [row] = await run<{ total: number }>(countStatement(query, tsquery));
    return (row?.total ?? 0) > total ? respelled : undefined;
  };

  return {
    name: 'postgres',

    async search(query) {
      const tokens = tokenize(query.q);
      const vocab = await vocabulary(tokens);
      const tsquery = tokens.length > 0 ? toTsquery(segments(tokens, synonyms, vocab)) : null;
      const wide = catalogWide(query, tsquery);
      const [[row], whole] = await Promise.all([
        run<SearchRow>(searchStatement(query, tsquery, wide)),
        wide.size > 0 ? catalogWideRow(query.inStock) : null,
      ]);
      const r = row!;
      for (const part of wide) Object.assign(r, { [COLUMN[part]]: whole![COLUMN[part]] });
      const result: SearchResult = {
        products: r.products,
        facets: {
          brands: r.brands.map(([value, count]) => ({ value, count })),
          categories: r.categories.map(([value, label, count]) => ({ value, label, count })),
          price_ranges: priceRanges(r.prices),
          ratings: ratingSteps(r.ratings),
        },
        total: r.total,
        page: query.page,
        page_size: query.pageSize,
      };
      if (tokens.length > 0 && r.total < FEW_RESULTS) {
        const dym = await didYouMean(query, tokens, vocab, r.total);
        if (dym !== undefined) result.did_you_mean = dym;
      }
      return result;
    },

    async autocomplete(prefix, limit) {
      const tokens = tokenize(prefix);
      if (tokens.length === 0) return [];
      const complete = /[^\p{L}\p{N}]$/u.test(prefix);
      const s = autocompleteStatements(tokens, complete, limit);
      const [names, completions] = await Promise.all([run<Row>(s.names), run<{ term: string }>(s.completions)]);
      const products = await run<Row>(s.products(completions.map((c) => c.term)));
      return [...names, ...products].slice(0, limit).map(({ id, ...rest }) => (id === null ? rest : { ...rest, id }));
    },

    index: (changes) => indexInPostgres(sql, changes),

    async ping() {
      await sql`select 1`;
    },
    close: () => Promise.resolve(),
  };
}
