import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { cacheRequests, type Logger } from '../platform/index.ts';

/**
 * What a cached answer depends on. `search`: any product change (stock included); `tree`: products created,
 * changed or deleted (the category tree's counts do not depend on stock).
 */
export type CacheScope = 'search' | 'tree';

/** Answers remembered in Redis until their scope's epoch moves or their time is up. */
export interface ResultCache {
  /**
   * The remembered answer for `key` in this scope's current epoch, else `compute()`'s, remembered for `ttlSeconds`.
   * Concurrent misses of one key in this process share one computation. A Redis failure only costs the cache.
   */
  remember<T>(scope: CacheScope, key: unknown, ttlSeconds: number, compute: () => Promise<T>): Promise<T>;
  /** Moves the epochs on: every answer remembered before in these scopes is no longer served. */
  bump(scopes: readonly CacheScope[]): Promise<void>;
}

/**
 * A ResultCache in Redis; keys are `prefix` (one per database, so catalogs sharing a Redis never mix), the scope,
 * its epoch and a hash of the JSON of the request.
 */
export function createResultCache(redis: Redis, logger: Logger, prefix: string): ResultCache {
  const epochKey = (scope: CacheScope) => `${prefix}:epoch:${scope}`;
  const inflight = new Map<string, Promise<unknown>>();
  const hash = (key: unknown) => createHash('sha1').update(JSON.stringify(key)).digest('base64url');

  return {
    async remember<T>(scope: CacheScope, key: unknown, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
      let redisKey: string | null = null;
      try {
        const epoch = (await redis.get(epochKey(scope))) ?? '0';
        redisKey = `${prefix}:${scope}:${epoch}:${hash(key)}`;
        const hit = await redis.get(redisKey);
        if (hit !== null) {
          cacheRequests.inc({ cache: scope, result: 'hit' });
          return JSON.parse(hit) as T;
        }
      } catch (err) {
        logger.warn({ err }, 'catalog cache unavailable; computing');
      }
      cacheRequests.inc({ cache: scope, result: 'miss' });
      const flightKey = redisKey ?? `${scope}:${hash(key)}`;
      const running = inflight.get(flightKey) as Promise<T> | undefined;
      if (running) return running;
      const fresh = compute().finally(() => inflight.delete(flightKey));
      inflight.set(flightKey, fresh);
      const value = await fresh;
      if (redisKey !== null) {
        redis.set(redisKey, JSON.stringify(value), 'EX', ttlSeconds).catch((err: unknown) => {
          logger.warn({ err }, 'catalog cache write failed');
        });
      }
      return value;
    },

    async bump(scopes) {
      if (scopes.length === 0) return;
      const multi = redis.multi();
      for (const s of scopes) multi.incr(epochKey(s));
      await multi.exec();
    },
  };
}

/**
 * Stores a page only if no invalidation happened since the loader read the version it was built from, so a page
 * read before a change can never be cached after that change's invalidation. KEYS: page, version.
 * ARGV: version read, page, ttl seconds.
 */
const SET_IF_CURRENT = `
if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
`;

export interface PageCache {
  /** The page as JSON text (cached, or loaded and cached), or null when `load` finds no such product. */
  get(id: string): Promise<string | null>;
  /** Drops these pages; a load that started before cannot put its stale copy back. */
  invalidate(ids: readonly string[]): Promise<void>;
}

/** Product pages in Redis for `ttlSeconds` under `prefix`, each beside a version that every invalidation increments. */
export function createPageCache(o: {
  redis: Redis;
  prefix: string;
  ttlSeconds: number;
  load: (id: string) => Promise<string | null>;
  logger: Logger;
}): PageCache {
  const { redis } = o;
  if (!('catalogSetPage' in redis)) redis.defineCommand('catalogSetPage', { numberOfKeys: 2, lua: SET_IF_CURRENT });
  const setPage = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<number>>).catalogSetPage!;
  const pageKey = (id: string) => `${o.prefix}:page:${id}`;
  const versionKey = (id: string) => `${o.prefix}:page:${id}:v`;

  return {
    async get(id) {
      let version: string | null = null;
      try {
        const [page, v] = await redis.mget(pageKey(id), versionKey(id));
        if (page) {
          cacheRequests.inc({ cache: 'page', result: 'hit' });
          return page;
        }
        version = v ?? '0';
      } catch (err) {
        o.logger.warn({ err }, 'page cache unavailable; loading');
      }
      cacheRequests.inc({ cache: 'page', result: 'miss' });
      const page = await o.load(id);
      if (page !== null && version !== null) {
        setPage.call(redis, pageKey(id), versionKey(id), version, page, o.ttlSeconds).catch((err: unknown) => {
          o.logger.warn({ err }, 'page cache write failed');
        });
      }
      return page;
    },

    async invalidate(ids) {
      if (ids.length === 0) return;
      const multi = redis.multi();
      for (const id of ids) {
        multi.incr(versionKey(id));
        multi.expire(versionKey(id), o.ttlSeconds * 2);
        multi.del(pageKey(id));
      }
      await multi.exec();
    },
  };
}
