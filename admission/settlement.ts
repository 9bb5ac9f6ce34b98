import type { Redis } from 'ioredis';
import { dropKeys } from '../contracts/index.ts';
import type { Logger, Sql } from '../platform/index.ts';
import { returnPlan } from './settle-plan.ts';

export interface SettlementOptions {
  sql: Sql;
  redis: Redis;
  logger: Logger;
  batchSize?: number;
}

const FINISHED = new Set(['ended', 'sold_out']);

/**
 * One pass of drop settlement: a drop whose Redis state says ended or sold out with no unit held has its unsold
 * `stock` returned to the inventory of the warehouses it came from (drop_stock), and its final status written to
 * PostgreSQL, in one transaction guarded by `settled_at`, so each drop is settled exactly once however many
 * workers run. Returns the drops settled.
 */
export function createSettlement(o: SettlementOptions): () => Promise<string[]> {
  const batchSize = o.batchSize ?? 200;

  async function settle(dropId: string, status: string, unsold: number): Promise<boolean> {
    return o.sql.begin(async (tx) => {
      const [d] = await tx<{ product_id: string }[]>`
        update drops set settled_at = now(), status = ${status}, updated_at = now()
        where drop_id = ${dropId} and settled_at is null returning product_id`;
      if (!d) return false;
      const sources = await tx<{ warehouse_id: string; quantity: number }[]>`
        select warehouse_id, quantity from drop_stock where drop_id = ${dropId}`;
      for (const p of returnPlan(unsold, sources)) {
        await tx`
          insert into inventory (product_id, warehouse_id, available_count) values (${d.product_id}, ${p.warehouse_id}, ${p.quantity})
          on conflict (product_id, warehouse_id)
          do update set available_count = inventory.available_count + excluded.available_count, updated_at = now()`;
      }
      o.logger.info({ drop_id: dropId, status, returned: unsold }, 'drop settled');
      return true;
    });
  }

  return async () => {
    const drops = await o.sql<{ drop_id: string }[]>`
      select drop_id from drops
      where settled_at is null and starts_at <= now()
      order by starts_at limit ${batchSize}`;
    if (drops.length === 0) return [];
    const pipe = o.redis.pipeline();
    for (const d of drops) pipe.hmget(dropKeys(d.drop_id).state, 'status', 'stock', 'held');
    const states = (await pipe.exec()) ?? [];
    const settled: string[] = [];
    for (const [i, d] of drops.entries()) {
      const [err, fields] = states[i] ?? [];
      if (err || !Array.isArray(fields)) continue;
      const [status, stock, held] = fields as (string | null)[];
      if (status == null || !FINISHED.has(status) || held !== '0') continue;
      const unsold = Number(stock);
      if (!Number.isInteger(unsold) || unsold < 0) continue;
      if (await settle(d.drop_id, status, unsold)) settled.push(d.drop_id);
    }
    return settled;
  };
}
