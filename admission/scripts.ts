import type { Redis } from 'ioredis';
import { dropKeys, type DropStatus, type IntentRecord, type JoinClaim } from '../contracts/index.ts';

/**
 * Admits one join atomically, in the order: unknown drop; rate limits (per user and per client
 * address, fixed windows); one intent per user (a retry gets the existing intent, with its record once
 * Kafka has its join and the join as admitted); sold out or ended (by status, or once `ends_at` is past
 * by the caller's clock); queue limit (units asked for by admitted intents). Claims the user's place on
 * success, with the join as admitted. KEYS: state, users, intents, admitted, claims, rl:user, rl:ip.
 * ARGV: user, intent, quantity, user limit, ip limit, window ms, now (epoch ms), claim JSON.
 */
const ADMIT = `
local st = redis.call('HMGET', KEYS[1], 'status', 'ends_at', 'queue_limit')
local status = st[1]
if not status then return {'unknown'} end
local function over(key, limit)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[6]) end
  if n > tonumber(limit) then return redis.call('PTTL', key) end
  return false
end
local wait = over(KEYS[6], ARGV[4]) or over(KEYS[7], ARGV[5])
if wait then return {'rate_limited', tostring(wait)} end
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then
  local record, claim = redis.call('HGET', KEYS[3], existing), redis.call('HGET', KEYS[5], existing)
  return {'existing', existing, record or '', claim or '', status}
end
if status == 'sold_out' or status == 'ended' then return {'gone', status} end
if st[2] and st[2] ~= '' and tonumber(ARGV[7]) >= tonumber(st[2]) then return {'gone', 'ended'} end
local q = tonumber(ARGV[3])
local admitted = tonumber(redis.call('GET', KEYS[4]) or '0')
if admitted + q > tonumber(st[3]) then return {'gone', 'queue_full'} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[5], ARGV[2], ARGV[8])
redis.call('INCRBY', KEYS[4], q)
return {'new', status}
`;

/**
 * Records where Kafka put admitted joins (one call for a whole produce batch) and returns the drop's decided
 * offset, for the positions. KEYS: intents, state. ARGV: the highest offset, then intent, record JSON pairs.
 */
const RECORD = `
for i = 2, #ARGV, 1000 do
  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
local last = tonumber(redis.call('HGET', KEYS[2], 'last_offset') or '-1')
if tonumber(ARGV[1]) > last then redis.call('HSET', KEYS[2], 'last_offset', ARGV[1]) end
return tonumber(redis.call('HGET', KEYS[2], 'decided_offset') or '-1')
`;

/**
 * Gives back a user's place, and the units it counted against the queue limit, unless Kafka has its join (its
 * record is written) or the user holds another place by now; answers 1 when it gave the place back. Safe to
 * repeat. KEYS: users, admitted, claims, intents. ARGV: user, intent, quantity.
 */
const UNCLAIM = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] or redis.call('HEXISTS', KEYS[4], ARGV[2]) == 1 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[2])
redis.call('DECRBY', KEYS[2], ARGV[3])
return 1
`;

/** Opens a scheduled drop for direct joins; leaves any other status alone. KEYS: state. */
const OPEN = `
if redis.call('HGET', KEYS[1], 'status') == 'scheduled' then redis.call('HSET', KEYS[1], 'status', 'open') return 1 end
return 0
`;

/** What ADMIT answered, decoded from its positional reply. */
export type Admission =
  | { kind: 'unknown' }
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** The user's intent of this drop: its record once Kafka has its join, and the join as admitted. */
  | {
      kind: 'existing';
      intentId: string;
      record: IntentRecord | undefined;
      claim: JoinClaim | undefined;
      status: DropStatus;
    }
  | { kind: 'gone'; reason: 'sold_out' | 'ended' | 'queue_full' }
  /** A new place in line, in a drop of this status. */
  | { kind: 'new'; status: DropStatus };

/** The ADMIT script's reply as a tagged object; throws on a reply the script cannot give. */
export function decodeAdmission(reply: unknown): Admission {
  const r = reply as string[];
  const kind: string = r[0] ?? '';
  switch (kind) {
    case 'unknown':
      return { kind: 'unknown' };
    case 'rate_limited':
      return { kind: 'rate_limited', retryAfterMs: Number(r[1]) };
    case 'existing':
      return {
        kind: 'existing',
        intentId: r[1]!,
        record: r[2] ? (JSON.parse(r[2]) as IntentRecord) : undefined,
        claim: r[3] ? (JSON.parse(r[3]) as JoinClaim) : undefined,
        status: r[4] as DropStatus,
      };
    case 'gone':
      return { kind: 'gone', reason: r[1] as 'sold_out' | 'ended' | 'queue_full' };
    case 'new':
      return { kind: 'new', status: r[1] as DropStatus };
    default:
      throw new Error(`admission script gave an unknown reply: ${JSON.stringify(reply)}`);
  }
}

export interface AdmissionScripts {
  admit(keys: string[], args: (string | number)[]): Promise<Admission>;
  record(keys: string[], args: (string | number)[]): Promise<number>;
  /** Gives a place back (UNCLAIM): 1 when it did. */
  unclaim(dropId: string, userId: string, intentId: string, quantity: number): Promise<number>;
  open(keys: string[]): Promise<number>;
}

/** The admission scripts bound to a connection (EVALSHA, loaded on first use). */
export function admissionScripts(redis: Redis): AdmissionScripts {
  const defs = { admitJoin: ADMIT, recordJoin: RECORD, unclaimJoin: UNCLAIM, openDrop: OPEN };
  for (const [name, lua] of Object.entries(defs)) {
    if (!(name in redis)) redis.defineCommand(name, { lua });
  }
  const call = (name: keyof typeof defs, keys: string[], args: (string | number)[]) =>
    (redis as unknown as Record<string, (n: number, ...a: (string | number)[]) => Promise<unknown>>)[name]!(
      keys.length,
      ...keys,
      ...args,
    );
  return {
    admit: async (k, a) => decodeAdmission(await call('admitJoin', k, a)),
    record: (k, a) => call('recordJoin', k, a) as Promise<number>,
    unclaim: (dropId, userId, intentId, quantity) => {
      const k = dropKeys(dropId);
      return call('unclaimJoin', [k.users, k.admitted, k.claims, k.intents], [userId, intentId, quantity]) as Promise<number>;
    },
    open: (k) => call('openDrop', k, []) as Promise<number>,
  };
}
