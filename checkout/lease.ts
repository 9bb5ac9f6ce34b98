import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { batched, batchedWrites, firstOfEach, type Sql } from '../platform/index.ts';

/**
 * A per-saga lease in PostgreSQL (table saga_leases), so that one process at a time advances a saga: a drop intent's
 * (the consumer, the recovery loop and a checkout request may all want to) or a cart checkout's (its request, the
 * sweeper and the recovery loop), keyed by that id. A lease lapses after `leaseMs`, so a process that died holding
 * one delays the saga by at most that long. Times are PostgreSQL's.
 */
export interface SagaLease {
  /** An owner token when acquired, undefined when another holder keeps it for longer than `waitMs`. */
  acquire(sagaId: string, waitMs?: number): Promise<string | undefined>;
  /** Extends a held lease; false when it lapsed and was taken. */
  renew(sagaId: string, owner: string): Promise<boolean>;
  release(sagaId: string, owner: string): Promise<void>;
}

/**
 * `sql` may be a pool whose commits do not wait for the WAL flush: a lease lost in a crash only makes the
 * next holder wait for it to lapse. A renewal within the first third of the lease is answered from memory
 * (the lease cannot have lapsed yet), so a saga of several quick steps costs two writes, not one per step.
 */
export function createSagaLease(sql: Sql, leaseMs: number): SagaLease {
  /** owner → when (performance.now()) the lease was last taken or extended, measured before asking. */
  const heldSince = new Map<string, number>();
  // Takes and releases of the same turn share a statement: a batch of decisions starts as many sagas at once.
  const take = batched(async (asks: { sagaId: string; owner: string }[]) => {
    // A second ask for a saga in one batch fails, as it would have after the first.
    const first = firstOfEach(asks, (a) => a.sagaId.toLowerCase());
    const rows = await sql<{ owner: string }[]>`
      insert into saga_leases (saga_id, owner, until)
      select v.saga_id, v.owner, clock_timestamp() + ${leaseMs} * interval '1 millisecond'
      from unnest(${first.map((a) => a.sagaId)}::uuid[], ${first.map((a) => a.owner)}::text[]) as v(saga_id, owner)
      on conflict (saga_id) do update set owner = excluded.owner, until = excluded.until
      where saga_leases.until < clock_timestamp() or saga_leases.owner = excluded.owner
      returning owner`;
    const taken = new Set(rows.map((r) => r.owner));
    return asks.map((a) => taken.has(a.owner));
  });
  const release = batchedWrites(
    (held: { sagaId: string; owner: string }[]) =>
      sql`delete from saga_leases l
          using unnest(${held.map((h) => h.sagaId)}::uuid[], ${held.map((h) => h.owner)}::text[]) as v(saga_id, owner)
          where l.saga_id = v.saga_id and l.owner = v.owner`,
  );

  return {
    async acquire(sagaId, waitMs = 0) {
      const owner = randomUUID();
      const until = Date.now() + waitMs;
      for (;;) {
        const asked = performance.now();
        if (await take({ sagaId, owner })) {
          heldSince.set(owner, asked);
          return owner;
        }
        if (Date.now() >= until) return undefined;
        await sleep(Math.min(50, Math.max(1, until - Date.now())));
      }
    },
    async renew(sagaId, owner) {
      const since = heldSince.get(owner);
      if (since !== undefined && performance.now() - since < leaseMs / 3) return true;
      const asked = performance.now();
      const renewed =
        (
          await sql`update saga_leases set until = clock_timestamp() + ${leaseMs} * interval '1 millisecond'
                    where saga_id = ${sagaId} and owner = ${owner} returning 1`
        ).length > 0;
      if (renewed) heldSince.set(owner, asked);
      else heldSince.delete(owner);
      return renewed;
    },
    async release(sagaId, owner) {
      heldSince.delete(owner);
      await release({ sagaId, owner });
    },
  };
}
