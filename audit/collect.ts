import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type Stripe from 'stripe';
import {
  deadLetter,
  decision,
  decisionOf,
  dropKeys,
  finalStatuses,
  newId,
  parseMessageValue,
} from '../contracts/index.ts';
import type { Sql } from '../platform/index.ts';
import { audit, type AuditInput, type AuditReport } from './checks.ts';

/** Reads every message of a topic from its start to its current end, keeping what `pick` makes of each. */
async function readTopic<T>(kafka: Kafka, topic: string, pick: (value: Buffer | null) => T | undefined): Promise<T[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => Number(p.high) > Number(p.low));
  await admin.disconnect();
  if (ends.length === 0) return [];
  const left = new Map(ends.map((p) => [p.partition, Number(p.high) - 1]));
  const found: T[] = [];
  const consumer = kafka.consumer({ groupId: `audit-${newId()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: ({ partition, message }) => {
          const kept = pick(message.value);
          if (kept !== undefined) found.push(kept);
          if (Number(message.offset) >= (left.get(partition) ?? Infinity)) left.delete(partition);
          if (left.size === 0) resolve();
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return found;
}

/** The drop's decision in a message value, if it is one. */
const decisionOfDrop = (dropId: string) => (value: Buffer | string | null) => {
  const d = parseMessageValue(value, decision, 'a decision');
  return d.ok && d.value.drop_id === dropId ? d.value : undefined;
};

/** The drop's decisions that a consumer of `decisionsTopic` parked on the dead-letter topic, with the reason. */
const refusedDecisions = (kafka: Kafka, deadLettersTopic: string, decisionsTopic: string, dropId: string) =>
  readTopic(kafka, deadLettersTopic, (value) => {
    const letter = parseMessageValue(value, deadLetter, 'a dead letter');
    if (!letter.ok || letter.value.source.topic !== decisionsTopic) return undefined;
    const d = decisionOfDrop(dropId)(letter.value.value);
    return d && { decision: d, reason: letter.value.reason };
  });

/** Succeeded charges per intent id (metadata.intent_id) at the provider. */
async function providerCharges(stripe: Stripe, intentIds: Set<string>): Promise<Map<string, number>> {
  const charges = new Map<string, number>();
  for await (const pi of stripe.paymentIntents.list({ limit: 100 })) {
    const id = pi.metadata.intent_id;
    if (id !== undefined && intentIds.has(id) && pi.status === 'succeeded') charges.set(id, (charges.get(id) ?? 0) + 1);
  }
  return charges;
}

export interface CollectDeps {
  sql: Sql;
  redis: Redis;
  kafka: Kafka;
  decisionsTopic: string;
  /** Where the order worker parks the decisions PostgreSQL refused. */
  deadLettersTopic: string;
  dropId: string;
  stripe?: Stripe;
}

/**
 * How far PostgreSQL has caught up with a drop: intents with a final status (not counting those that left the
 * pre-queue, whose place was given up), and orders still pending.
 */
export async function pgProgress(sql: Sql, dropId: string): Promise<{ final: number; pending: number }> {
  const [row] = await sql<{ final: number; pending: number }[]>`
    select count(*) filter (where status = any(${[...finalStatuses]}) and decision_seq > 0)::int as final,
           (select count(*)::int from orders o join drop_intents i using (intent_id)
            where i.drop_id = ${dropId} and o.status = 'placed') as pending
    from drop_intents where drop_id = ${dropId}`;
  return row!;
}

/** The audit of one drop, from what `collect` gathers. */
export const auditDrop = async (deps: CollectDeps): Promise<AuditReport> => audit(await collect(deps));

/** Gathers what the audit checks about one drop. */
export async function collect(deps: CollectDeps): Promise<AuditInput> {
  const { sql, redis, dropId } = deps;
  const [drop] = await sql<{ drop_id: string; quantity: number; product_id: string }[]>`
    select drop_id, quantity, product_id from drops where drop_id = ${dropId}`;
  if (!drop) throw new Error(`no drop ${dropId}`);
  const k = dropKeys(dropId);
  const [state, decisionsHash, users] = await Promise.all([redis.hgetall(k.state), redis.hvals(k.decisions), redis.hlen(k.users)]);
  const [intents, orders, payments, negative] = await Promise.all([
    sql<AuditInput['pg']['intents']>`
      select intent_id, status, decision_seq::int, quantity from drop_intents where drop_id = ${dropId}`,
    sql<AuditInput['pg']['orders']>`
      select o.order_id, o.intent_id, o.status from orders o join drop_intents i using (intent_id) where i.drop_id = ${dropId}`,
    sql<AuditInput['pg']['payments']>`
      select p.intent_id, p.status, p.amount_cents::int, p.refunded_cents::int
      from payments p join drop_intents i using (intent_id) where i.drop_id = ${dropId}`,
    sql<{ n: number }[]>`
      select count(*)::int as n from inventory where product_id = ${drop.product_id}
      and (available_count < 0 or reserved_count < 0)`,
  ]);
  const redisDecisions = decisionsHash.map(decisionOf);
  return {
    drop: { drop_id: drop.drop_id, quantity: drop.quantity },
    redis: {
      stock: Number(state.stock ?? 0),
      held: Number(state.held ?? 0),
      purchased: Number(state.purchased ?? 0),
      status: state.status ?? 'missing',
      decisions: redisDecisions,
      users,
    },
    kafka: await readTopic(deps.kafka, deps.decisionsTopic, decisionOfDrop(dropId)),
    refused: await refusedDecisions(deps.kafka, deps.deadLettersTopic, deps.decisionsTopic, dropId),
    pg: { intents: [...intents], orders: [...orders], payments: [...payments], negativeInventoryRows: negative[0]!.n },
    ...(deps.stripe ? { charges: await providerCharges(deps.stripe, new Set(redisDecisions.map((d) => d.intent_id))) } : {}),
  };
}
