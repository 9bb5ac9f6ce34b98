import { finalStatuses, type Decision, type IntentStatus } from '../contracts/index.ts';
import { latestPerIntent } from '../admission/index.ts';

/** Everything the audit reads about one drop, from Redis, Kafka, PostgreSQL and the payment provider. */
export interface AuditInput {
  drop: { drop_id: string; quantity: number };
  redis: { stock: number; held: number; purchased: number; status: string; decisions: Decision[]; users: number };
  /** Every decision of the drop found on `drop.decisions`, duplicates included. */
  kafka: Decision[];
  /** The drop's decisions the order worker parked on the dead-letter topic (PostgreSQL refused them), and why. */
  refused: { decision: Decision; reason: string }[];
  pg: {
    intents: { intent_id: string; status: IntentStatus; decision_seq: number; quantity: number }[];
    orders: { order_id: string; intent_id: string; status: string }[];
    payments: { intent_id: string; status: string; amount_cents: number; refunded_cents: number }[];
    negativeInventoryRows: number;
  };
  /** Succeeded charges per intent id at the provider, net of full refunds; absent when not checked. */
  charges?: Map<string, number>;
}

export interface AuditReport {
  settled: boolean;
  counts: Record<string, number>;
  violations: string[];
}

/**
 * An order that was paid for, whatever came after (shipped, delivered, returned, or cancelled with its refund):
 * every status but placed (the purchase not recorded yet) and refunded (the hold was lost, the charge given back).
 */
const wasPaid = (status: string): boolean => status !== 'placed' && status !== 'refunded';

/** An intent cancelled before any decision: it left the pre-queue, and its user's place was given up with it. */
const leftPrequeue = (i: AuditInput['pg']['intents'][number]): boolean =>
  i.status === 'cancelled' && i.decision_seq === 0;

/**
 * Checks the invariants of ARCHITECTURE.md for one drop: never oversell; one decision per intent,
 * the same in Redis, Kafka and PostgreSQL (a decision PostgreSQL refused is reported at once, settled or
 * not); units in log order (one unit per intent); no paid order lost and nothing charged twice; every
 * intent final once the drop has settled.
 */
export function audit(a: AuditInput): AuditReport {
  const v: string[] = [];
  const { redis, drop } = a;
  const settled = redis.held === 0 && (redis.stock === 0 || redis.status === 'ended');

  // 1. Never oversell.
  if (redis.stock + redis.held + redis.purchased !== drop.quantity) {
    v.push(`redis stock ${redis.stock} + held ${redis.held} + purchased ${redis.purchased} != quantity ${drop.quantity}`);
  }
  const pgPurchased = a.pg.intents.filter((i) => i.status === 'purchased').reduce((s, i) => s + i.quantity, 0);
  if (pgPurchased > drop.quantity) v.push(`postgres has ${pgPurchased} purchased units of ${drop.quantity}`);
  const confirmed = a.pg.orders.filter((o) => wasPaid(o.status));
  if (confirmed.length > drop.quantity) v.push(`${confirmed.length} confirmed orders for ${drop.quantity} units`);
  if (a.pg.negativeInventoryRows > 0) v.push(`${a.pg.negativeInventoryRows} inventory rows below zero`);

  // 2. Exactly one decision per intent, the same wherever it is read.
  const inKafka = new Map(latestPerIntent(a.kafka).map((d) => [d.intent_id, d]));
  const seqSeen = new Map<number, string>();
  for (const d of a.kafka) {
    const key = `${d.intent_id}:${d.status}`;
    const prev = seqSeen.get(d.seq);
    if (prev !== undefined && prev !== key) v.push(`seq ${d.seq} carries two decisions (${prev}, ${key})`);
    seqSeen.set(d.seq, key);
  }
  const pgById = new Map(a.pg.intents.map((i) => [i.intent_id, i]));
  for (const d of redis.decisions) {
    const k = inKafka.get(d.intent_id);
    if (!k) v.push(`intent ${d.intent_id}: decided in redis, missing on kafka`);
    else if (k.seq !== d.seq || k.status !== d.status) {
      v.push(`intent ${d.intent_id}: redis ${d.status}#${d.seq}, kafka ${k.status}#${k.seq}`);
    }
    const p = pgById.get(d.intent_id);
    if (settled && (!p || p.status !== d.status)) {
      v.push(`intent ${d.intent_id}: redis ${d.status}, postgres ${p?.status ?? 'missing'}`);
    }
  }

  for (const { decision: d, reason } of a.refused) {
    if ((pgById.get(d.intent_id)?.decision_seq ?? 0) < d.seq) {
      v.push(`intent ${d.intent_id}: decision ${d.status}#${d.seq} never reached postgres (${reason})`);
    }
  }

  // 3. Fairness: with one unit per intent, nobody later in the log got a unit an earlier intent never had.
  const everReserved = new Set(a.kafka.filter((d) => d.status === 'reserved').map((d) => d.intent_id));
  const onePerIntent = redis.decisions.every((d) => d.quantity === 1);
  if (onePerIntent) {
    let passedOver: Decision | undefined;
    for (const d of [...redis.decisions].sort((x, y) => x.offset - y.offset)) {
      if (d.status === 'sold_out' && !everReserved.has(d.intent_id)) passedOver ??= d;
      else if (passedOver && everReserved.has(d.intent_id)) {
        v.push(`intent at offset ${d.offset} got a unit while the earlier one at ${passedOver.offset} sold out`);
        break;
      }
    }
  }

  // 4. No paid order lost, nothing charged twice.
  const ordersByIntent = new Map(a.pg.orders.map((o) => [o.intent_id, o]));
  for (const p of a.pg.payments) {
    const kept = p.status === 'succeeded' && p.refunded_cents < p.amount_cents;
    const order = ordersByIntent.get(p.intent_id);
    if (kept && settled && !(order && wasPaid(order.status) && order.status !== 'cancelled')) {
      v.push(`intent ${p.intent_id}: payment kept without a confirmed order`);
    }
  }
  const paidIntents = a.pg.payments.filter((p) => p.status === 'succeeded').map((p) => p.intent_id);
  if (new Set(paidIntents).size !== paidIntents.length) v.push('an intent has two succeeded payments');
  for (const [intent, n] of a.charges ?? []) if (n > 1) v.push(`intent ${intent}: charged ${n} times at the provider`);
  for (const d of redis.decisions) {
    const order = ordersByIntent.get(d.intent_id);
    if (d.status === 'purchased' && settled && !(order && wasPaid(order.status))) {
      v.push(`intent ${d.intent_id}: purchased without a confirmed order`);
    }
  }

  // 5. Every intent that keeps its user's place reaches a final state.
  const final = new Set([
    ...redis.decisions.filter((d) => finalStatuses.has(d.status)).map((d) => d.intent_id),
    ...a.pg.intents.filter((i) => finalStatuses.has(i.status) && !leftPrequeue(i)).map((i) => i.intent_id),
  ]).size;
  if (settled && final !== redis.users) v.push(`${redis.users - final} of ${redis.users} intents are not final`);

  const count = (s: IntentStatus) => redis.decisions.filter((d) => d.status === s).length;
  return {
    settled,
    counts: {
      quantity: drop.quantity,
      intents: redis.users,
      purchased: count('purchased'),
      reserved: count('reserved'),
      waitlisted: count('waitlisted'),
      sold_out: count('sold_out'),
      payment_failed: count('payment_failed'),
      expired: count('expired'),
      cancelled: count('cancelled'),
      confirmed_orders: confirmed.length,
      kafka_decisions: a.kafka.length,
    },
    violations: v,
  };
}
