import { errors, type Client } from '@elastic/elasticsearch';
import { AppError, type Sql } from '../../platform/index.ts';
import { indexInPostgres } from '../pg/engine.ts';
import { FEW_RESULTS, lookupWords, respell, segments } from '../query-plan.ts';
import type { SearchEngine } from '../search.ts';
import { parseSynonyms, type Synonyms } from '../synonyms.ts';
import { tokenize } from '../text.ts';
import { indexDefinition, indexOperations, PRODUCT_COLUMNS, type ProductRow } from './mapping.ts';
import {
  autocompleteBody,
  countBody,
  parseAutocomplete,
  parseSearch,
  parseSuggest,
  searchBody,
  suggestBody,
  textQuery,
} from './query.ts';

export interface ElasticsearchOptions {
  client: Client;
  /** The alias searches and updates go through; `reindexAll` swaps the index behind it. */
  alias: string;
  /** The catalog's read pool: products are read from PostgreSQL, the source of truth, to be indexed. */
  sql: Sql;
  /** How long the engine may spend on one search request; it stops the search there, on its side. */
  timeoutMs: number;
}

type Body = Record<string, unknown>;
const NO_SYNONYMS = parseSynonyms('');

const tooSlow = () =>
  new AppError('unavailable', 'search is taking too long right now; try again shortly', { details: { retry_after: 1 } });

/** The engine's failures as the platform's: unreachable or failing (5xx) means unavailable, worth a retry. */
async function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    const down = err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError;
    const failing = err instanceof errors.ResponseError && (err.statusCode ?? 500) >= 500;
    if (down || failing) {
      throw new AppError('unavailable', 'the search engine is unavailable; try again shortly', { cause: err, details: { retry_after: 1 } });
    }
    throw err;
  }
}

/**
 * Sends bulk operations; throws on the first that failed (a delete of a document that is not there is fine).
 * `refresh`: the call returns once its writes are searchable.
 */
export async function bulkOrThrow(client: Client, operations: unknown[], refresh = false) {
  const res = await client.bulk({ operations, refresh: refresh ? 'wait_for' : false });
  const failed = res.items.filter((i) => {
    const r = i.index ?? i.delete;
    return r?.error !== undefined && !(i.delete && r.status === 404);
  });
  if (failed.length > 0) throw new Error(`bulk indexing failed: ${JSON.stringify(failed[0])}`);
}

/** Writes these products' current rows to `target` (deleting the ones that no longer exist), searchable on return. */
export async function indexProducts(client: Client, sql: Sql, target: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  const rows = await sql.unsafe<ProductRow[]>(`select ${PRODUCT_COLUMNS} from products p where p.product_id = any($1::uuid[])`, [
    [...ids],
  ]);
  const found = new Set(rows.map((r) => r.product_id));
  await bulkOrThrow(
    client,
    [...indexOperations(target, rows), ...ids.filter((id) => !found.has(id)).map((id) => ({ delete: { _index: target, _id: id } }))],
    true,
  );
}

/** Creates the alias with an empty index when it does not exist yet (a full reindex fills it). */
export async function ensureIndex(client: Client, alias: string, synonyms: Synonyms): Promise<void> {
  if (await client.indices.existsAlias({ name: alias })) return;
  await client.indices.create({ index: `${alias}-${Date.now()}`, ...indexDefinition(synonyms), aliases: { [alias]: {} } });
}

/**
 * The scale path: an Elasticsearch (or OpenSearch) index behind an alias, kept up to date from PostgreSQL by the
 * catalog indexer. Same API and behaviour as the PostgreSQL engine: the same query planning (every word required,
 * typo candidates only for words the index lacks, the same did-you-mean rule), the same facets and orders; text
 * relevance is BM25 instead of ts_rank. `index` also keeps PostgreSQL's in_stock flag and vocabulary (so either
 * engine can serve at any time) and returns once the change is searchable. Every search request carries the
 * engine-side `timeout`; an answer the engine cut short there (partial) is never served: it is `unavailable`.
 */
export function createElasticsearchSearch(o: ElasticsearchOptions): SearchEngine {
  const { client, alias } = o;
  const search = async (body: Body): Promise<never> => {
    const res = (await client.search({ index: alias, timeout: `${o.timeoutMs}ms`, ...body })) as { timed_out?: boolean };
    if (res.timed_out === true) throw tooSlow();
    return res as never;
  };

  return {
    name: 'elasticsearch',

    search: (query) => guarded(async () => {
      const tokens = tokenize(query.q);
      const words = lookupWords(tokens);
      const suggestions = words.length > 0 ? parseSuggest(await search(suggestBody(words))) : null;
      const alternatives = segments(tokens, NO_SYNONYMS, suggestions?.typos ?? new Map()).map((s) => s.alternatives.map((a) => a.join(' ')));
      const text = tokens.length > 0 ? textQuery(tokens.join(' '), alternatives) : null;
      const result = parseSearch(await search(searchBody(query, text)), query);
      if (suggestions && result.total < FEW_RESULTS) {
        const respelled = respell(tokens, suggestions.respell);
        if (respelled !== null) {
          const counted: { hits: { total: { value: number } } } = await search(countBody(query, textQuery(respelled, [])));
          if (counted.hits.total.value > result.total) result.did_you_mean = respelled;
        }
      }
      return result;
    }),

    autocomplete: (prefix, limit) => guarded(async () => {
      const tokens = tokenize(prefix);
      if (tokens.length === 0) return [];
      return parseAutocomplete(await search(autocompleteBody(tokens, limit)), limit);
    }),

    async index(changes) {
      const changed = await indexInPostgres(o.sql, changes);
      await indexProducts(client, o.sql, alias, [...new Set(changes.map((c) => c.product_id))]);
      return changed;
    },

    async ping() {
      await client.ping();
    },
    close: () => client.close(),
  };
}
