import type { ConsumerConfig } from 'kafkajs';
import { orderEvent, parseMessageValue, topics } from '../contracts/index.ts';
import { reliableProducer, startBatchConsumer, startLoop, type Closer, type Runtime } from '../platform/index.ts';
import { createInterestFlush, interestKey } from './interest.ts';
import { countEvents } from './store.ts';

export interface AnalyticsOptions {
  /** Default `order.events`. */
  topic?: string;
  /** Default `analytics`; also the name its processed events are recorded under. */
  groupId?: string;
  /** Default `dead.letters`. */
  deadLetterTopic?: string;
  /** How often the Redis counts of views and cart adds go to PostgreSQL. Default 10,000 ms. */
  flushIntervalMs?: number;
  consumer?: Partial<Omit<ConsumerConfig, 'groupId'>>;
}

export interface Analytics {
  /** Resolves once the consumer has joined its group. */
  ready: Promise<void>;
  /** One flush of the view and cart-add counts now; answers the rows added. */
  flushOnce(): Promise<number>;
  /** Stops the consumer (committing what it finished) and the flush loop, then its producer. */
  closer: Closer;
}

/**
 * Analytics: a consumer group on `order.events` counting each batch's events, in one transaction with their
 * processed_events rows, into sales per product and day, revenue per hour and products.sales_count; and a loop
 * moving the Redis counts of product views and cart adds (the edge's InterestCounter) into PostgreSQL. A new group
 * starts at the topic's beginning, so the tables count the whole history.
 */
export async function startAnalytics(rt: Runtime, o: AnalyticsOptions = {}): Promise<Analytics> {
  const groupId = o.groupId ?? 'analytics';
  const log = rt.logger.child({ component: 'analytics' });
  const producer = reliableProducer(rt.kafka);
  await producer.connect();
  const consumer = await startBatchConsumer({
    kafka: rt.kafka,
    producer,
    logger: log,
    topic: o.topic ?? topics.orderEvents.name,
    groupId,
    deadLetterTopic: o.deadLetterTopic ?? topics.deadLetters.name,
    parse: (value) => parseMessageValue(value, orderEvent, 'an order event'),
    handle: (events) => rt.sql.begin((tx) => countEvents(tx, groupId, events)),
    consumer: o.consumer,
  });
  const flushOnce = createInterestFlush({ sql: rt.sql, redis: rt.redis, key: interestKey(rt.config.DATABASE_URL), consumer: `${groupId}:interest` });
  const loop = startLoop('interest flush', o.flushIntervalMs ?? 10_000, flushOnce, log);
  const close = async () => {
    await consumer.stop();
    await loop.stop();
    await producer.disconnect();
  };
  return { ready: consumer.ready, flushOnce, closer: { name: 'analytics', close } };
}
