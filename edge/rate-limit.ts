import type { Redis } from 'ioredis';
import { AppError, isAppError } from '../platform/index.ts';

/**
 * A fixed-window counter. KEYS: the counter. ARGV: the limit, the window in ms. Counts the hit and answers 0
 * while the window has room; once it is spent, counts nothing and answers the ms left in the window.
 */
const HIT = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    ttl = tonumber(ARGV[2])
  end
  return ttl
end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** One limit: at most `max` hits under `scope` and `id` in each window of `windowSeconds`. */
export interface Limit {
  /** What is counted, e.g. `auth:ip`; part of the key. */
  scope: string;
  /** Whose hits: a client address key, an account. */
  id: string;
  max: number;
  windowSeconds: number;
  /** The refusal's detail, e.g. "too many sign-in attempts from this address". */
  message: string;
}

export interface RateLimiter {
  /**
   * Counts one hit against each limit, in order. At the first limit whose window is spent it stops (neither that
   * limit nor the ones after it count the hit) and throws a `rate_limited` AppError whose `retry_after` is the
   * whole seconds until that window ends. An unreachable Redis is `unavailable`: the limit is never skipped.
   */
  hit(...limits: Limit[]): Promise<void>;
}

/** Rate limits as fixed-window counters in Redis under `prefix`, one key per limit and id (Redis Cluster safe). */
export function createRateLimiter(redis: Redis, prefix: string): RateLimiter {
  if (!('edgeRateHit' in redis)) redis.defineCommand('edgeRateHit', { numberOfKeys: 1, lua: HIT });
  const hit = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<number>>).edgeRateHit!;

  return {
    async hit(...limits) {
      for (const l of limits) {
        let waitMs: number;
        try {
          waitMs = await hit.call(redis, `${prefix}:${l.scope}:${l.id}`, l.max, l.windowSeconds * 1000);
        } catch (err) {
          if (isAppError(err)) throw err;
          throw new AppError('unavailable', 'limits cannot be checked right now; try again shortly', {
            details: { retry_after: 1 },
            cause: err,
          });
        }
        if (waitMs > 0) {
          throw new AppError('rate_limited', l.message, { details: { retry_after: Math.max(1, Math.ceil(waitMs / 1000)) } });
        }
      }
    },
  };
}
