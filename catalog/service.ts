import { type Config, createGate, createSql, databaseName, type Runtime, searchDuration, type Sql, timed } from '../platform/index.ts';
import { createResultCache, createPageCache, type PageCache, type ResultCache } from './cache.ts';
import { loadCategoryTree, type CategoryNode } from './categories.ts';
import { loadProductPage } from './pages.ts';
import { connectSearch } from './es/client.ts';
import { createElasticsearchSearch, ensureIndex } from './es/engine.ts';
import { createPostgresSearch, type Remember } from './pg/engine.ts';
import { createCatalogRepo, type CatalogRepo } from './repo.ts';
import type { SearchEngine, SearchQuery, SearchResult, Suggestion } from './search.ts';
import { loadSynonyms, type Synonyms } from './synonyms.ts';

/** What shoppers read: search, autocomplete, product pages and the category tree, each through its cache. */
export interface Storefront {
  search(query: SearchQuery): Promise<SearchResult>;
  autocomplete(q: string, limit: number): Promise<Suggestion[]>;
  /** The product page as JSON text, or null for an unknown product. */
  page(product_id: string): Promise<string | null>;
  categories(): Promise<CategoryNode[]>;
}

export interface Catalog {
  repo: CatalogRepo;
  storefront: Storefront;
  engine: SearchEngine;
  pages: PageCache;
  cache: ResultCache;
  /** The product page straight from PostgreSQL, bypassing the cache (what an admin just wrote). */
  freshPage(product_id: string): Promise<string | null>;
  /** Ends the search engine and its pool; the runtime's clients stay open. */
  close(): Promise<void>;
}

type CatalogConfig = Pick<
  Config,
  | 'DATABASE_URL'
  | 'SEARCH_ENGINE'
  | 'SEARCH_URL'
  | 'SEARCH_INDEX'
  | 'SEARCH_POOL_MAX'
  | 'SEARCH_CACHE_TTL_SECONDS'
  | 'PRODUCT_CACHE_TTL_SECONDS'
  | 'CATALOG_SYNONYMS_FILE'
  | 'SEARCH_TIMEOUT_MS'
  | 'SEARCH_CONCURRENCY'
  | 'SEARCH_WAIT_MS'
>;

/**
 * The catalog's read pool: JIT off (it costs more than it saves on these short statements), room to sort, and a
 * statement timeout (SEARCH_TIMEOUT_MS) so an overloaded database sheds searches instead of queueing them without end.
 */
const createReadPool = (config: CatalogConfig): Sql =>
  createSql(
    { DATABASE_URL: config.DATABASE_URL, DATABASE_POOL_MAX: config.SEARCH_POOL_MAX },
    { application_name: 'flashline-catalog', jit: 'off', work_mem: '32MB', statement_timeout: config.SEARCH_TIMEOUT_MS },
  );

/** The Redis key prefix of a catalog's caches: one per database, so catalogs sharing a Redis never mix. */
export const cachePrefix = (databaseUrl: string): string =>
  `catalog:${databaseName(databaseUrl)}`;

/** The alias of the catalog's search index: SEARCH_INDEX, else one per database. */
export const searchAlias = (config: Pick<Config, 'DATABASE_URL' | 'SEARCH_INDEX'>): string =>
  config.SEARCH_INDEX ?? `${databaseName(config.DATABASE_URL).toLowerCase()}-products`;

/** The engine SEARCH_ENGINE names, ready to answer (an Elasticsearch index is created empty if missing). */
async function createEngine(config: CatalogConfig, read: Sql, synonyms: Synonyms, remember: Remember): Promise<SearchEngine> {
  switch (config.SEARCH_ENGINE) {
    case 'postgres':
      return createPostgresSearch({ sql: read, synonyms, remember });
    case 'elasticsearch': {
      // The engine stops a search at SEARCH_TIMEOUT_MS itself; the client waits a little longer for that answer.
      const client = await connectSearch(config.SEARCH_URL, config.SEARCH_TIMEOUT_MS + 2_000);
      const alias = searchAlias(config);
      await ensureIndex(client, alias, synonyms);
      return createElasticsearchSearch({ client, alias, sql: read, timeoutMs: config.SEARCH_TIMEOUT_MS });
    }
  }
}

/**
 * The catalog on a runtime's clients: writes go through the runtime's pool (so the outbox triggers see its
 * session settings), reads through a pool of the catalog's own. Answers are cached in Redis and stay correct
 * because the catalog indexer invalidates them on every product event. Searches and autocompletes that the cache
 * cannot answer run at most SEARCH_CONCURRENCY at once in a process; one that waited SEARCH_WAIT_MS for a turn
 * fails as `unavailable` (retry after 1 s), so queries nobody asked before cannot take the database from the rest.
 */
export async function createCatalog(rt: Pick<Runtime, 'config' | 'sql' | 'redis' | 'logger'>): Promise<Catalog> {
  const config: CatalogConfig = rt.config;
  const logger = rt.logger.child({ component: 'catalog' });
  const synonyms = await loadSynonyms(config.CATALOG_SYNONYMS_FILE);
  const read = createReadPool(config);
  const ttl = config.SEARCH_CACHE_TTL_SECONDS;
  const prefix = cachePrefix(config.DATABASE_URL);
  const cache = createResultCache(rt.redis, logger, prefix);
  const treeTtl = config.PRODUCT_CACHE_TTL_SECONDS;
  const remember: Remember = (key, stock, compute) =>
    cache.remember(stock ? 'search' : 'tree', [key], stock ? ttl : treeTtl, compute);
  const engine = await createEngine(config, read, synonyms, remember);
  const uncached = createGate({ max: config.SEARCH_CONCURRENCY, waitMs: config.SEARCH_WAIT_MS, what: 'search' });
  const pages = createPageCache({
    redis: rt.redis,
    prefix,
    ttlSeconds: config.PRODUCT_CACHE_TTL_SECONDS,
    load: (id) => loadProductPage(read, id),
    logger,
  });
  return {
    repo: createCatalogRepo(rt.sql),
    engine,
    pages,
    cache,
    storefront: {
      search: (query) =>
        cache.remember('search', ['search', engine.name, query], ttl, () =>
          uncached.run(() => timed(searchDuration, { engine: engine.name, kind: 'search' }, () => engine.search(query))),
        ),
      autocomplete: (q, limit) =>
        cache.remember('search', ['autocomplete', engine.name, q, limit], ttl, () =>
          uncached.run(() =>
            timed(searchDuration, { engine: engine.name, kind: 'autocomplete' }, () => engine.autocomplete(q, limit)),
          ),
        ),
      page: (id) => pages.get(id),
      categories: () => remember('categories', false, () => loadCategoryTree(read)),
    },
    freshPage: (id) => loadProductPage(rt.sql, id),
    async close() {
      await engine.close();
      await read.end({ timeout: 5 });
    },
  };
}
