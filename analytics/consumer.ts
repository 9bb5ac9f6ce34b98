import { startOrderEventConsumer, type OrderEventConsumerOptions } from '../orders/index.ts';
import { startLoop, type Closer, type Runtime } from '../platform/index.ts';
import { createInterestFlush, interestKey } from './interest.ts';
import { countEvents } from './store.ts';

/** `groupId` defaults to `analytics`. */
export interface AnalyticsOptions extends OrderEventConsumerOptions {
  /** How often the Redis counts of views and cart adds go to PostgreSQL. Default 10,000 ms. */
  flushIntervalMs?: number;
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
  const consumer = await startOrderEventConsumer(rt, {
    ...o,
    groupId,
    logger: log,
    handle: (events) => rt.sql.begin((tx) => countEvents(tx, groupId, events)),
  });
  const flushOnce = createInterestFlush({ sql: rt.sql, redis: rt.redis, key: interestKey(rt.config.DATABASE_URL), consumer: `${groupId}:interest` });
  const loop = startLoop('interest flush', o.flushIntervalMs ?? 10_000, flushOnce, log);
  const close = async () => {
    await consumer.stop();
    await loop.stop();
  };
  return { ready: consumer.ready, flushOnce, closer: { name: 'analytics', close } };
}
