import type { Redis } from 'ioredis';
import { decodeHash, encodeCart, encodeSeen, type Held } from './codec.ts';
import type { CartState } from './model.ts';

/**
 * Replaces the hash with the given fields only if it holds no version, or an older one than ARGV[2], so two
 * writers finishing in any order leave the newer cart, and a refill read before a change cannot undo it.
 * KEYS: the cart's hash. ARGV: ttl seconds, then field, value pairs with `v` first. Returns 1 when written.
 */
const WRITE_IF_NEWER = `
local held = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if held >= tonumber(ARGV[3]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

/**
 * Sets seen marks only while the hash still holds the version they were computed on: a mark can never land on a
 * newer cart, nor bring back a hash that expired or was replaced. KEYS: the cart's hash. ARGV: version, then
 * field, value pairs. Returns 1 when written.
 */
const MARK_SEEN = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
`;

/** How long a tombstone (a guest cart merged away, or no cart at all) keeps late writes and reads off PostgreSQL. */
export const TOMBSTONE_SECONDS = 86_400;

/** Redis keys of carts. The hash tag keeps each cart in one Redis Cluster slot. */
export const cartKeys = {
  /** A guest cart, by its id. */
  guest: (cart_id: string) => `cart:{${cart_id}}`,
  /** A user's cart, by the user: a signed-in read finds it without asking PostgreSQL for the cart's id. */
  user: (user_id: string) => `cart:{user:${user_id}}`,
};

/** The key of a cart's copy. */
export const keyOf = (state: Pick<CartState, 'cart_id' | 'user_id'>): string =>
  state.user_id === null ? cartKeys.guest(state.cart_id) : cartKeys.user(state.user_id);

export interface CartCopy {
  read(key: string): Promise<Held>;
  /** Writes the cart with a time to live unless Redis already holds this version or a newer one. */
  write(key: string, state: CartState, ttlSeconds: number): Promise<boolean>;
  /**
   * Leaves a tombstone of `version`: a merged guest cart's (older writes and refills can no longer bring it back),
   * or version 0 for no cart at all (reads answer none without PostgreSQL; any committed cart replaces it).
   */
  bury(key: string, version: number, ttlSeconds: number): Promise<boolean>;
  /** Marks lines seen at a price, if the copy still holds `version`. */
  markSeen(key: string, version: number, seen: ReadonlyMap<string, number>): Promise<boolean>;
  /** Deletes the copy: the next read loads the cart from PostgreSQL. */
  drop(key: string): Promise<void>;
}

type Script = (key: string, ...args: string[]) => Promise<number>;

/** The Redis copy of carts: one hash per cart, every write guarded by the version it carries. */
export function createCartCopy(redis: Redis): CartCopy {
  if (!('cartWriteIfNewer' in redis)) {
    redis.defineCommand('cartWriteIfNewer', { numberOfKeys: 1, lua: WRITE_IF_NEWER });
    redis.defineCommand('cartMarkSeen', { numberOfKeys: 1, lua: MARK_SEEN });
  }
  const scripts = redis as unknown as Record<'cartWriteIfNewer' | 'cartMarkSeen', Script>;
  const writeIfNewer = (key: string, ttlSeconds: number, fields: string[]) =>
    scripts.cartWriteIfNewer
      .call(redis, key, String(Math.max(1, Math.ceil(ttlSeconds))), ...fields)
      .then((n) => n === 1);

  return {
    read: async (key) => decodeHash(await redis.hgetall(key)),
    write: (key, state, ttlSeconds) => writeIfNewer(key, ttlSeconds, encodeCart(state)),
    bury: (key, version, ttlSeconds) => writeIfNewer(key, ttlSeconds, ['v', String(version), 'gone', '1']),
    async markSeen(key, version, seen) {
      if (seen.size === 0) return false;
      return (await scripts.cartMarkSeen.call(redis, key, String(version), ...encodeSeen(seen))) === 1;
    },
    async drop(key) {
      await redis.del(key);
    },
  };
}
