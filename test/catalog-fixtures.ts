import { randomBytes } from 'node:crypto';
import {
  applyChanges,
  connectSearch,
  searchAlias,
  startCatalogIndexer,
  type Catalog,
  type CatalogIndexer,
  type CatalogIndexerOptions,
} from '../catalog/index.ts';
import { newId } from '../contracts/index.ts';
import type { Config } from '../platform/config.ts';
import type { Runtime } from '../platform/runtime.ts';
import { tag } from './helpers.ts';

type Engine = Config['SEARCH_ENGINE'];

/**
 * Each search engine, and whether it can be tested here (Elasticsearch/OpenSearch when one answers at
 * SEARCH_URL). `npm test` starts one and sets SEARCH_REQUIRED, so there a missing node fails the run.
 */
export const ENGINES: Promise<{ engine: Engine; available: boolean }[]> = (async () => {
  const url = process.env.SEARCH_URL ?? 'http://127.0.0.1:9200';
  const up = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
  if (!up && process.env.SEARCH_REQUIRED === '1') throw new Error(`no search node answers at ${url} (SEARCH_REQUIRED=1)`);
  return [
    { engine: 'postgres' as const, available: true },
    { engine: 'elasticsearch' as const, available: up },
  ];
})();

/** A runtime whose catalog uses `engine`; an Elasticsearch catalog gets an index of its own. */
export const engineRuntime = <R extends Runtime>(rt: R, engine: Engine): R => ({
  ...rt,
  config: { ...rt.config, SEARCH_ENGINE: engine, SEARCH_INDEX: engine === 'elasticsearch' ? `test-${word(10)}-products` : undefined },
});

/** Deletes the Elasticsearch index behind a test runtime's alias, if it has one and the engine answers. */
export async function dropSearchIndex(rt: Runtime): Promise<void> {
  if (rt.config.SEARCH_ENGINE !== 'elasticsearch') return;
  const client = await connectSearch(rt.config.SEARCH_URL).catch(() => null);
  if (client === null) return;
  await client.indices.delete({ index: `${searchAlias(rt.config)}-*` }).catch(() => undefined);
  await client.close();
}

/**
 * A catalog indexer of `catalog` for one test: the product events of `topic`, a consumer group of its own, the outbox
 * relayed every 50 ms and fetches that wait at most 100 ms. The caller awaits its `ready`.
 */
export const startTestIndexer = (
  rt: Runtime,
  catalog: CatalogIndexerOptions['catalog'],
  topic: string,
  deadLetterTopic: string,
): Promise<CatalogIndexer> =>
  startCatalogIndexer(rt, {
    catalog,
    topic,
    groupId: `test-catalog-indexer-${tag()}`,
    deadLetterTopic,
    relayIntervalMs: 50,
    consumer: { maxWaitTimeInMs: 100 },
  });

/** A made-up word of lower-case letters, unique to one test, so its products are the only ones a query finds. */
export const word = (length = 12): string => [...randomBytes(length)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

export interface FixtureProduct {
  title: string;
  brand?: string;
  category_path?: string[];
  price_cents?: number;
  rating_avg?: number;
  rating_count?: number;
  sales_count?: number;
  /** Units in the fixture's warehouse; 0 means out of stock. Default 5. */
  stock?: number;
  description?: string;
}

export interface Listed {
  product_id: string;
  title: string;
  brand: string | null;
  price_cents: number;
  rating_avg: number;
  category_path: string[];
  in_stock: boolean;
}

/**
 * Inserts products with stock in one new warehouse, then makes them visible exactly as the catalog indexer would
 * (engine index, page and search cache invalidation), without going through Kafka. Returns the ids in input order.
 */
export async function addProducts(rt: Runtime, catalog: Catalog, products: FixtureProduct[]): Promise<string[]> {
  const warehouse_id = newId();
  const ids = products.map(() => newId());
  await rt.sql.begin(async (tx) => {
    await tx`set local flashline.product_events = 'off'`;
    await tx`insert into warehouses (warehouse_id, name, region) values (${warehouse_id}, ${`wh-${word(8)}`}, 'test')`;
    for (const [i, p] of products.entries()) {
      await tx`insert into products (product_id, sku, title, description, category_path, price_cents, currency, brand,
                                     rating_avg, rating_count, sales_count, images)
               values (${ids[i]!}, ${`CAT-${word(10)}`}, ${p.title}, ${p.description ?? ''}, ${p.category_path ?? []},
                       ${p.price_cents ?? 1_999}, 'USD', ${p.brand ?? null}, ${p.rating_avg ?? 0}, ${p.rating_count ?? 0},
                       ${p.sales_count ?? 0}, ${tx.json([`https://img.example.test/${i}.jpg`])})`;
      await tx`insert into inventory (product_id, warehouse_id, available_count)
               values (${ids[i]!}, ${warehouse_id}, ${p.stock ?? 5})`;
    }
  });
  await applyChanges(
    catalog,
    ids.flatMap((product_id) => [
      { product_id, type: 'product.created' as const },
      { product_id, type: 'product.stock_changed' as const },
    ]),
  );
  return ids;
}
