import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from '../platform/clients.ts';

/**
 * A per-intent lease in PostgreSQL, so that one process at a time advances an intent's saga (the consumer,
 * the recovery loop and a checkout request may all want to). A lease lapses after `leaseMs`, so a process
 * that died holding one delays the intent by at most that long. Times are PostgreSQL's.
 */
export interface IntentLease {
  /** An owner token when acquired, undefined when another holder keeps it for longer than `waitMs`. */
  acquire(intentId: string, waitMs?: number): Promise<string | undefined>;
  /** Extends a held lease; false when it lapsed and was taken. */
  renew(intentId: string, owner: string): Promise<boolean>;
  release(intentId: string, owner: string): Promise<void>;
}

export function createIntentLease(sql: Sql, leaseMs: number): IntentLease {
  const take = async (intentId: string, owner: string) =>
    (
      await sql`update drop_intents
                set saga_lease_owner = ${owner},
                    saga_lease_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond'
                where intent_id = ${intentId}
                  and (saga_lease_until is null or saga_lease_until < clock_timestamp() or saga_lease_owner = ${owner})
                returning 1`
    ).length > 0;

  return {
    async acquire(intentId, waitMs = 0) {
      const owner = randomUUID();
      const until = Date.now() + waitMs;
      for (;;) {
        if (await take(intentId, owner)) return owner;
        if (Date.now() >= until) return undefined;
        await sleep(Math.min(50, Math.max(1, until - Date.now())));
      }
    },
    renew: (intentId, owner) =>
      sql`update drop_intents set saga_lease_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond'
          where intent_id = ${intentId} and saga_lease_owner = ${owner} returning 1`.then(
        (r) => r.length > 0,
      ),
    async release(intentId, owner) {
      await sql`update drop_intents set saga_lease_owner = null, saga_lease_until = null
                where intent_id = ${intentId} and saga_lease_owner = ${owner}`;
    },
  };
}
