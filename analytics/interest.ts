import type { Redis } from 'ioredis';
import { isId, newId } from '../contracts/index.ts';
import { databaseName, type Logger, type Sql } from '../platform/index.ts';
import { dayOf } from './aggregate.ts';

/** The Redis hash of a database's uncounted product views and cart adds (one per database, as catalog caches). */
export const interestKey = (databaseUrl: string): string => `analytics:${databaseName(databaseUrl)}:interest`;

/** Counts product page views and cart adds on the request path: one Redis command, not waited for. */
export interface InterestCounter {
  viewed(productId: string): void;
  carted(productId: string): void;
}

/** Counts in `key` (a hash field per kind, UTC day and product); a count Redis does not take is logged and lost. */
export function createInterestCounter(redis: Redis, key: string, logger: Logger, now: () => number = Date.now): InterestCounter {
  const add = (kind: 'v' | 'c', productId: string) => {
    redis.hincrby(key, `${kind}:${dayOf(now())}:${productId}`, 1).catch((err: unknown) => logger.warn({ err }, 'interest not counted'));
  };
  return { viewed: (id) => add('v', id), carted: (id) => add('c', id) };
}

// Renames the live hash to a flush key (new counts start a new hash) and remembers the flush key, both at once.
const TAKE = `
if redis.call('exists', KEYS[1]) == 1 then
  redis.call('rename', KEYS[1], KEYS[2])
  redis.call('sadd', KEYS[3], KEYS[2])
end
return redis.call('smembers', KEYS[3])`;

/** The views and cart adds of a flushed hash, per product and day; fields it did not write are left out. */
export function interestRows(hash: Record<string, string>): { product_id: string; day: string; views: number; cart_adds: number }[] {
  const rows = new Map<string, { product_id: string; day: string; views: number; cart_adds: number }>();
  for (const [field, value] of Object.entries(hash)) {
    const [kind, day, product_id] = field.split(':');
    const n = Number(value);
    if ((kind !== 'v' && kind !== 'c') || !/^\d{4}-\d{2}-\d{2}$/.test(day ?? '') || !isId(product_id ?? '') || !Number.isSafeInteger(n)) continue;
    const k = `${product_id}|${day}`;
    const row = rows.get(k) ?? { product_id: product_id!.toLowerCase(), day: day!, views: 0, cart_adds: 0 };
    if (kind === 'v') row.views += n;
    else row.cart_adds += n;
    rows.set(k, row);
  }
  return [...rows.values()].sort((a, b) => (`${a.product_id}|${a.day}` < `${b.product_id}|${b.day}` ? -1 : 1));
}

/**
 * Moves the counts from Redis to product_interest_daily, exactly once: the live hash is renamed to a flush key of
 * its own (new counts go to a new hash meanwhile), the flush is added in one transaction with a processed_events
 * row of the flush's id, and only then is the flush key deleted; a flush cut short is finished by the next one.
 * Answers the rows added.
 */
export function createInterestFlush(d: { sql: Sql; redis: Redis; key: string; consumer: string }) {
  const pending = `${d.key}:flushing`;
  return async function flush(): Promise<number> {
    const keys = (await d.redis.eval(TAKE, 3, d.key, `${d.key}:flush:${newId()}`, pending)) as string[];
    let added = 0;
    for (const k of keys) {
      const rows = interestRows(await d.redis.hgetall(k));
      const flushId = k.slice(k.lastIndexOf(':') + 1);
      await d.sql.begin(async (tx) => {
        const [fresh] = await tx`insert into processed_events (consumer, event_id) values (${d.consumer}, ${flushId})
                                 on conflict do nothing returning event_id`;
        if (!fresh || rows.length === 0) return;
        await tx`
          insert into product_interest_daily (product_id, day, views, cart_adds)
          select * from unnest(${rows.map((r) => r.product_id)}::uuid[], ${rows.map((r) => r.day)}::date[],
                               ${rows.map((r) => r.views)}::bigint[], ${rows.map((r) => r.cart_adds)}::bigint[])
          on conflict (product_id, day) do update set views = product_interest_daily.views + excluded.views,
                                                      cart_adds = product_interest_daily.cart_adds + excluded.cart_adds`;
        added += rows.length;
      });
      await d.redis.multi().del(k).srem(pending, k).exec();
    }
    return added;
  };
}
