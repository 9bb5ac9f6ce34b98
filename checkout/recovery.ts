import type { Sql } from '../platform/index.ts';
import type { Clock } from './steps.ts';

export interface RecoveryOptions {
  sql: Sql;
  clock: Clock;
  kick: (intentId: string) => void;
  /** A pending payment younger than this is left to whoever is charging it. Default 5 s. */
  pendingGraceMs?: number;
  batchSize?: number;
}

/**
 * One pass of saga recovery: finds intents whose saga may have stopped midway and kicks them (advancing an intent
 * with nothing to do is a no-op). That is: reserved intents with a card and no live payment (never charged, or
 * declined and not yet released); pending payments (outcome unknown); pending orders (purchase never sent or
 * answered, refund due). Returns the number kicked.
 */
export function createRecovery(o: RecoveryOptions): () => Promise<number> {
  const graceMs = o.pendingGraceMs ?? 5_000;
  const batchSize = o.batchSize ?? 1_000;
  return async () => {
    const rows = await o.sql<{ intent_id: string }[]>`
      select i.intent_id from drop_intents i
      where i.status = 'reserved' and i.payment_method_id is not null and i.shipping_address_id is not null
        and not exists (select 1 from payments p where p.intent_id = i.intent_id and p.status <> 'failed')
      union
      select p.intent_id from payments p
      where p.status = 'pending' and p.intent_id is not null and p.created_at <= ${new Date(o.clock() - graceMs)}
      union
      select o.intent_id from orders o
      where o.status = 'placed' and o.intent_id is not null
      limit ${batchSize}`;
    for (const r of rows) o.kick(r.intent_id);
    return rows.length;
  };
}
