import { newId, type Decision, type IntentStatus, type JoinCommand } from '../contracts/index.ts';
import type { Sql, Tx } from '../platform/index.ts';
import { latestPerIntent, reservationChange } from './decisions.ts';

/**
 * The one writer of `drop_intents`, and of the drop holds it mirrors in `reservations`: every change of an intent
 * row in PostgreSQL is one of these named operations. The sequencer's decisions are the truth about an intent;
 * the rows follow them (applyDecisions) and carry the pre-queue and the saga's bookkeeping.
 */

/** Puts a join in the pre-queue of a drop that has not opened; a join already there is left as it is. */
export async function prequeue(sql: Sql, join: JoinCommand): Promise<void> {
  await sql`insert into drop_intents (intent_id, drop_id, user_id, quantity, status, payment_method_id, shipping_address_id)
            values (${join.intent_id}, ${join.drop_id}, ${join.user_id}, ${join.quantity}, 'prequeued',
                    ${join.payment_method_id ?? null}, ${join.shipping_address_id ?? null})
            on conflict (intent_id) do nothing`;
}

/**
 * Cancels a pre-queued intent, which gives up its user's place (the row stays, cancelled before any decision), and
 * returns its quantity; undefined when it is no longer pre-queued (the drop opener took it meanwhile).
 */
export async function cancelPrequeued(sql: Sql, intentId: string): Promise<number | undefined> {
  const [row] = await sql<{ quantity: number }[]>`update drop_intents set status = 'cancelled', updated_at = now()
                         where intent_id = ${intentId} and status = 'prequeued' returning quantity`;
  return row?.quantity;
}

/** An intent as its row holds it; `left_prequeue`: cancelled from the pre-queue, before any decision. */
export interface IntentRow {
  user_id: string;
  status: IntentStatus;
  quantity: number;
  kafka_offset: number | null;
  left_prequeue: boolean;
}

/** The intent's row in this drop, if it has one. */
export async function intentRow(sql: Sql, dropId: string, intentId: string): Promise<IntentRow | undefined> {
  const [row] = await sql<IntentRow[]>`
    select user_id, status, quantity, kafka_offset::float8, status = 'cancelled' and decision_seq = 0 as left_prequeue
    from drop_intents where intent_id = ${intentId} and drop_id = ${dropId}`;
  return row;
}

/** A pre-queued join on its way to Kafka, with its drop's partition. */
export interface TakenJoin {
  intent_id: string;
  drop_id: string;
  user_id: string;
  quantity: number;
  payment_method_id: string | null;
  shipping_address_id: string | null;
  kafka_partition: number;
}

/**
 * Takes a drop's pre-queue to hand it to Kafka: its pre-queued intents become queued, so that none can leave the
 * pre-queue any more, and come with those taken before but never handed (no offset yet: a crash midway).
 */
export const takePrequeue = (sql: Sql, dropId: string): Promise<TakenJoin[]> => sql<TakenJoin[]>`
  with taken as (
    update drop_intents set status = 'queued', updated_at = now()
    where drop_id = ${dropId} and status = 'prequeued'
    returning intent_id, drop_id, user_id, quantity, payment_method_id, shipping_address_id
  ), unhanded as (
    select intent_id, drop_id, user_id, quantity, payment_method_id, shipping_address_id from drop_intents
    where drop_id = ${dropId} and status = 'queued' and kafka_offset is null
  )
  select j.*, d.kafka_partition
  from (select * from taken union all select * from unhanded) j join drops d using (drop_id)`;

/** Drops that are open and have pre-queued intents not handed to Kafka yet. */
export const dropsWithPrequeue = (sql: Sql): Promise<{ drop_id: string }[]> => sql<{ drop_id: string }[]>`
  select distinct i.drop_id from drop_intents i join drops d using (drop_id)
  where d.status = 'open' and (i.status = 'prequeued' or (i.status = 'queued' and i.kafka_offset is null))`;

/** Taken intents handed to Kafka, each at its offset. */
export async function markHanded(sql: Sql, intentIds: readonly string[], offsets: readonly number[]): Promise<void> {
  await sql`update drop_intents i set kafka_offset = v.o, updated_at = now()
            from unnest(${intentIds as string[]}::uuid[], ${offsets as number[]}::bigint[]) as v(id, o)
            where i.intent_id = v.id and i.kafka_offset is null`;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * Applies decisions to `drop_intents` and the drop holds in `reservations`, in one transaction, and returns those
 * applied. A decision is applied only when its seq is higher than the intent's stored `decision_seq`, so a
 * duplicate or a stale redelivery changes nothing, and applying a batch twice gives the state of applying it once.
 */
export async function applyDecisions(sql: Sql, decisions: readonly Decision[]): Promise<Decision[]> {
  const latest = latestPerIntent(decisions);
  if (latest.length === 0) return [];
  const rows = latest.map((d) => ({
    intent_id: d.intent_id,
    drop_id: d.drop_id,
    user_id: d.user_id,
    quantity: d.quantity,
    status: d.status,
    kafka_offset: d.offset,
    payment_method_id: d.payment_method_id ?? null,
    shipping_address_id: d.shipping_address_id ?? null,
    hold_expires_at: iso(d.hold_expires_at),
    order_id: d.order_id ?? null,
    decision_seq: d.seq,
  }));
  return sql.begin(async (tx) => {
    const applied = await tx<{ intent_id: string }[]>`
      insert into drop_intents (intent_id, drop_id, user_id, quantity, status, kafka_offset, payment_method_id,
                                shipping_address_id, hold_expires_at, order_id, decision_seq)
      select r.intent_id, r.drop_id, r.user_id, r.quantity, r.status, r.kafka_offset, r.payment_method_id,
             r.shipping_address_id, r.hold_expires_at, r.order_id, r.decision_seq
      from jsonb_to_recordset(${tx.json(rows)}) as r(
        intent_id uuid, drop_id uuid, user_id uuid, quantity int, status text, kafka_offset bigint,
        payment_method_id text, shipping_address_id uuid, hold_expires_at timestamptz, order_id uuid, decision_seq bigint)
      on conflict (intent_id) do update set
        status = excluded.status,
        quantity = excluded.quantity,
        kafka_offset = coalesce(excluded.kafka_offset, drop_intents.kafka_offset),
        payment_method_id = coalesce(excluded.payment_method_id, drop_intents.payment_method_id),
        shipping_address_id = coalesce(excluded.shipping_address_id, drop_intents.shipping_address_id),
        hold_expires_at = coalesce(excluded.hold_expires_at, drop_intents.hold_expires_at),
        order_id = coalesce(excluded.order_id, drop_intents.order_id),
        decision_seq = excluded.decision_seq,
        updated_at = now()
      where drop_intents.decision_seq < excluded.decision_seq
      returning intent_id`;
    const ids = new Set(applied.map((a) => a.intent_id));
    const done = latest.filter((d) => ids.has(d.intent_id));
    await mirrorHolds(tx, done);
    return done;
  });
}

/** The drop holds of applied decisions in `reservations`: held while reserved, then committed, released or expired. */
async function mirrorHolds(tx: Tx, done: readonly Decision[]): Promise<void> {
  const upserts: { reservation_id: string; intent_id: string; status: string }[] = [];
  const updates: { intent_id: string; status: string }[] = [];
  for (const d of done) {
    const change = reservationChange(d.status);
    if (change?.op === 'upsert') upserts.push({ reservation_id: newId(), intent_id: d.intent_id, status: change.status });
    if (change?.op === 'update') updates.push({ intent_id: d.intent_id, status: change.status });
  }
  if (upserts.length > 0) {
    await tx`
      insert into reservations (reservation_id, product_id, quantity, drop_id, intent_id, status, expires_at)
      select r.reservation_id, d.product_id, i.quantity, i.drop_id, i.intent_id, r.status, coalesce(i.hold_expires_at, now())
      from jsonb_to_recordset(${tx.json(upserts)}) as r(reservation_id uuid, intent_id uuid, status text)
      join drop_intents i on i.intent_id = r.intent_id
      join drops d on d.drop_id = i.drop_id
      on conflict (intent_id) do update set
        status = excluded.status, quantity = excluded.quantity, expires_at = excluded.expires_at, updated_at = now()`;
  }
  if (updates.length > 0) {
    await tx`
      update reservations r set status = u.status, updated_at = now()
      from jsonb_to_recordset(${tx.json(updates)}) as u(intent_id uuid, status text)
      where r.intent_id = u.intent_id and r.status <> 'committed'`;
  }
}

/** That a purchase or release command was sent for an intent, and when (epoch ms). */
export interface Requested {
  intent_id: string;
  what: 'purchase' | 'release';
  at: number;
}

/** Notes, in one statement for all, when purchase or release commands were last sent for intents. */
export async function markRequested(sql: Sql, marks: readonly Requested[]): Promise<void> {
  const at = (what: Requested['what']) => marks.map((m) => (m.what === what ? new Date(m.at).toISOString() : null));
  await sql`
    update drop_intents d set
      purchase_requested_at = coalesce(v.purchase_at, d.purchase_requested_at),
      release_requested_at = coalesce(v.release_at, d.release_requested_at)
    from unnest(${marks.map((m) => m.intent_id)}::uuid[], ${at('purchase')}::timestamptz[], ${at('release')}::timestamptz[])
      as v(intent_id, purchase_at, release_at)
    where d.intent_id = v.intent_id`;
}

/** The address a held intent ships to, chosen at its checkout; an intent paid with the card of its join keeps its own. */
export async function setShippingAddress(sql: Sql, intentId: string, addressId: string): Promise<void> {
  await sql`update drop_intents set shipping_address_id = ${addressId}, updated_at = now()
            where intent_id = ${intentId} and payment_method_id is null`;
}
