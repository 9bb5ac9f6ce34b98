import type { ConsumerConfig, Kafka, Producer } from 'kafkajs';
import { dropIntents } from '../admission/index.ts';
import { decision, parseMessageValue, type Decision } from '../contracts/index.ts';
import { startBatchConsumer, type BatchConsumer, type Logger, type Sql } from '../platform/index.ts';

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

/**
 * Reconciles `drop.decisions` into PostgreSQL, each batch in one transaction (admission's applyDecisions), offsets
 * committed only after it (at-least-once; re-delivery is harmless since decisions apply by seq). A message that
 * is not a decision, or that the database refuses for its content (unknown drop or user…), is dead-lettered
 * with the reason and the partition moves on.
 */
export const startDecisionConsumer = (o: DecisionConsumerOptions): Promise<BatchConsumer> =>
  startBatchConsumer({
    kafka: o.kafka,
    producer: o.producer,
    logger: o.logger,
    topic: o.topic,
    groupId: o.groupId,
    deadLetterTopic: o.deadLetterTopic,
    consumer: o.consumer,
    parse: (value) => parseMessageValue(value, decision, 'a decision'),
    handle: async (decisions) => {
      const applied = await dropIntents.applyDecisions(o.sql, decisions);
      if (applied.length > 0) o.onApplied(applied);
    },
  });
