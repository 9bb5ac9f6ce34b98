import type { Client } from '@elastic/elasticsearch';
import { topics } from '../../contracts/index.ts';
import type { Sql } from '../../platform/index.ts';
import type { Synonyms } from '../synonyms.ts';
import { bulkOrThrow, indexProducts } from './engine.ts';
import { indexDefinition, indexOperations, PRODUCT_COLUMNS, type ProductRow } from './mapping.ts';

export interface ReindexOptions {
  client: Client;
  sql: Sql;
  alias: string;
  synonyms: Synonyms;
  /** Products per bulk request. Default 2,000. */
  batch?: number;
  onProgress?: (indexed: number, total: number) => void;
}

/** Products that had an event since `since` (changed, stock moved, deleted), from the outbox. */
async function changedSince(sql: Sql, since: Date): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select distinct key as id from outbox where topic = ${topics.productEvents.name} and created_at >= ${since}`;
  return rows.map((r) => r.id);
}

/**
 * Rebuilds the catalog index with no downtime: fills a new index from PostgreSQL while searches keep using the
 * old one, merges and refreshes it, indexes again what changed meanwhile (by the outbox), swaps the alias to it in one atomic
 * step, deletes the old indices, then catches up once more with what changed during the swap. Resolves with the
 * new index's name and how many products it holds.
 */
export async function reindexAll(o: ReindexOptions): Promise<{ index: string; count: number }> {
  const { client, sql, alias } = o;
  const batch = o.batch ?? 2_000;
  const [{ now: started, total } = { now: new Date(), total: 0 }] = await sql<{ now: Date; total: number }[]>`
    select now() as now, (select count(*) from products)::int as total`;
  const index = `${alias}-${Date.now()}`;
  const definition = indexDefinition(o.synonyms);
  await client.indices.create({ index, ...definition, settings: { ...definition.settings, refresh_interval: '-1' } });
  let indexed = 0;
  for await (const rows of sql.unsafe<ProductRow[]>(`select ${PRODUCT_COLUMNS} from products p`).cursor(batch)) {
    await bulkOrThrow(client, indexOperations(index, rows));
    indexed += rows.length;
    o.onProgress?.(indexed, total);
  }
  // Searchable in full, in few segments, before any search reaches it.
  await client.indices.putSettings({ index, settings: { refresh_interval: definition.settings.refresh_interval ?? '1s' } });
  await client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 3_600_000 });
  await client.indices.refresh({ index });
  const [{ now: beforeSwap } = { now: new Date() }] = await sql<{ now: Date }[]>`select now() as now`;
  await indexProducts(client, sql, index, await changedSince(sql, started));
  const old = (await client.indices.existsAlias({ name: alias })) ? Object.keys(await client.indices.getAlias({ name: alias })) : [];
  await client.indices.updateAliases({
    actions: [...old.map((i) => ({ remove: { index: i, alias } })), { add: { index, alias } }],
  });
  if (old.length > 0) await client.indices.delete({ index: old });
  await indexProducts(client, sql, alias, await changedSince(sql, beforeSwap));
  const { count } = await client.count({ index });
  return { index, count };
}
