import type { ConsumerConfig, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Decision } from '../contracts/index.ts';
import type { Sql } from '../platform/clients.ts';
import { consumerDefaults } from '../platform/kafka.ts';
import type { Logger } from '../platform/logger.ts';
import { parseDecision } from './reconcile.ts';
import { applyDecisions, isDataError } from './reconcile-store.ts';

export interface DecisionConsumerOptions {
  kafka: Kafka;
  sql: Sql;
  /** Used for dead letters. */
  producer: Producer;
  logger: Logger;
  topic: string;
  groupId: string;
  deadLetterTopic: string;
  /** Called with the decisions a batch applied, after its transaction committed. */
  onApplied: (applied: Decision[]) => void;
  consumer?: Partial<Omit<ConsumerConfig, 'groupId'>>;
}

export interface DecisionConsumer {
  /** Stops fetching, lets the batch in progress finish and commits its offsets, then leaves the group. */
  stop(): Promise<void>;
}

interface Dead {
  message: KafkaMessage;
  reason: string;
}

/**
 * Reconciles `drop.decisions` into PostgreSQL: each batch in one transaction, offsets committed only after it
 * (at-least-once; re-delivery is harmless since decisions apply by seq). A message that is not a valid decision,
 * or that the database refuses for its content (unknown drop or user…), goes to the dead-letter topic with the
 * reason, and the partition moves on. Other failures (database down) make kafkajs retry the batch.
 */
export async function startDecisionConsumer(o: DecisionConsumerOptions): Promise<DecisionConsumer> {
  const consumer = o.kafka.consumer({ ...consumerDefaults, groupId: o.groupId, ...o.consumer });
  const log = o.logger.child({ component: 'decision-consumer' });

  const deadLetter = async (topic: string, partition: number, dead: Dead[]) => {
    if (dead.length === 0) return;
    for (const d of dead)
      log.warn({ topic, partition, offset: d.message.offset, reason: d.reason }, 'decision dead-lettered');
    await o.producer.send({
      topic: o.deadLetterTopic,
      acks: -1,
      messages: dead.map((d) => ({
        key: d.message.key,
        value: JSON.stringify({
          source: { topic, partition, offset: d.message.offset, consumer: o.groupId },
          reason: d.reason,
          value: d.message.value?.toString('utf8') ?? null,
          at: Date.now(),
        }),
      })),
    });
  };

  /** Applies the batch at once; when the data is at fault, one by one so that only the bad ones are parked. */
  const apply = async (
    items: { message: KafkaMessage; decision: Decision }[],
    dead: Dead[],
  ): Promise<Decision[]> => {
    try {
      return await applyDecisions(
        o.sql,
        items.map((i) => i.decision),
      );
    } catch (err) {
      if (!isDataError(err)) throw err;
    }
    const applied: Decision[] = [];
    for (const item of items) {
      try {
        applied.push(...(await applyDecisions(o.sql, [item.decision])));
      } catch (err) {
        if (!isDataError(err)) throw err;
        dead.push({ message: item.message, reason: `refused by the database: ${(err as Error).message}` });
      }
    }
    return applied;
  };

  consumer.on(consumer.events.CRASH, (e) =>
    log.error({ err: e.payload.error, restart: e.payload.restart }, 'decision consumer crashed'),
  );
  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async (b) => {
      const batch = b.batch;
      if (!b.isRunning() || b.isStale() || batch.messages.length === 0) return;
      const dead: Dead[] = [];
      const items: { message: KafkaMessage; decision: Decision }[] = [];
      for (const message of batch.messages) {
        const parsed = parseDecision(message.value);
        if (parsed.ok) items.push({ message, decision: parsed.decision });
        else dead.push({ message, reason: parsed.reason });
      }
      const applied = await apply(items, dead);
      await deadLetter(batch.topic, batch.partition, dead);
      b.resolveOffset(batch.lastOffset());
      await b.commitOffsetsIfNecessary();
      await b.heartbeat();
      if (applied.length > 0) o.onApplied(applied);
    },
  });
  return { stop: () => consumer.disconnect() };
}
