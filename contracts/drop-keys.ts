/** The hash tag every Redis key of a drop starts with (one Redis Cluster slot per drop). */
export const dropTag = (dropId: string): string => `{drop:${dropId}}`;

/**
 * Redis keys of one drop. Every key carries the hash tag `{drop:<id>}`, so a Redis Cluster keeps a
 * drop's keys in one slot and its Lua scripts stay atomic.
 *
 * - `state` (hash): status, quantity, stock (units neither held nor sold), held, purchased,
 *   decided_offset, seq, hold_seconds, per_user_limit, queue_limit, starts_at, ends_at (epoch ms),
 *   partition, last_offset (admission), sweeping (sequencer: 1 while a long waitlist walk is unfinished).
 *   Written at creation by admission; stock fields only by the sequencer.
 * - `pending` (sorted set by seq): decisions made but not yet confirmed on `drop.decisions` (sequencer).
 * - `holds` (sorted set by hold expiry, epoch ms): intent ids holding units, as the sequencer holds them.
 * - `decisions` (hash): intent id → the intent's latest decision as JSON (the `Decision` contract).
 * - `waitlist` (list): intent ids waiting for a released unit, earliest offset first.
 * - `users` (hash): user id → intent id; one intent per user per drop.
 * - `claims` (hash): intent id → JSON {quantity, payment_method_id?, shipping_address_id?}, the join as it was
 *   admitted, written with the user's place, so that a rejoin can hand the same join on.
 * - `intents` (hash): intent id → JSON {user_id, quantity, offset, payment_method_id?, shipping_address_id?},
 *   written by the edge once Kafka has the join.
 * - `admitted` (counter): units asked for by admitted intents, against queue_limit.
 * - `rl:<who>` (counter with expiry): join attempts in the current rate-limit window.
 * - `leaving:<intent>` (string with expiry): the owner's leave was sent to the line; later ones send nothing.
 * - `sockets` (hash with expiry): waiting-room instance → `<sockets>:<epoch ms>`, its open sockets of the drop when
 *   it last told (every waiting room refreshes its own field every few seconds).
 * - `audit` (string): the drop's last audit, `{at, report}` as JSON.
 */
export const dropKeys = (dropId: string) => {
  const tag = dropTag(dropId);
  return {
    state: `${tag}:state`,
    decisions: `${tag}:decisions`,
    waitlist: `${tag}:waitlist`,
    pending: `${tag}:pending`,
    holds: `${tag}:holds`,
    users: `${tag}:users`,
    intents: `${tag}:intents`,
    admitted: `${tag}:admitted`,
    claims: `${tag}:claims`,
    rateLimit: (who: string) => `${tag}:rl:${who}`,
    leaving: (intentId: string) => `${tag}:leaving:${intentId}`,
    sockets: `${tag}:sockets`,
    audit: `${tag}:audit`,
  };
};
export type DropKeys = ReturnType<typeof dropKeys>;

/** Where an admitted join sits: the value of the drop's `intents` hash, written once Kafka has the join. */
export interface IntentRecord {
  user_id: string;
  quantity: number;
  /** Offset of the join in `drop.intents`. */
  offset: number;
  payment_method_id?: string | undefined;
  shipping_address_id?: string | undefined;
}

/** A join as admitted: the value of the drop's `claims` hash. */
export interface JoinClaim {
  quantity: number;
  payment_method_id?: string | undefined;
  shipping_address_id?: string | undefined;
}

/** Pub/sub channel of a drop's events (`DropEvent` JSON). */
export const dropChannel = (dropId: string) => `drop:{${dropId}}:events`;

