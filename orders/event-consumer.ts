import type { ConsumerConfig } from 'kafkajs';
import { orderEvent, parseMessageValue, topics, type OrderEvent } from '../contracts/index.ts';
import { reliableProducer, startBatchConsumer, type Logger, type Refusal, type Runtime } from '../platform/index.ts';

/** Where a consumer of order events reads, and under which group; each has the platform's default. */
export interface OrderEventConsumerOptions {
  /** Default `order.events`. */
  topic?: string;
  /** Default the consumer's own name; also the name its processed events are recorded under. */
  groupId?: string;
  /** Default `dead.letters`. */
  deadLetterTopic?: string;
  consumer?: Partial<Omit<ConsumerConfig, 'groupId'>>;
}

export interface OrderEventConsumer {
  /** Resolves once the consumer has joined its group. */
  ready: Promise<void>;
  /** Stops the consumer (committing what it finished), then the producer of its dead letters. */
  stop(): Promise<void>;
}

/**
 * A consumer group on the order events with a producer of its own for dead letters: a message that is not an order
 * event is parked, the others go to `handle` a batch at a time (see startBatchConsumer).
 */
export async function startOrderEventConsumer(
  rt: Runtime,
  o: OrderEventConsumerOptions & {
    groupId: string;
    logger: Logger;
    handle: (events: OrderEvent[]) => Promise<void | Refusal[]>;
    start?: 'earliest' | 'latest';
  },
): Promise<OrderEventConsumer> {
  const producer = reliableProducer(rt.kafka);
  await producer.connect();
  const consumer = await startBatchConsumer({
    kafka: rt.kafka,
    producer,
    logger: o.logger,
    topic: o.topic ?? topics.orderEvents.name,
    groupId: o.groupId,
    deadLetterTopic: o.deadLetterTopic ?? topics.deadLetters.name,
    parse: (value) => parseMessageValue(value, orderEvent, 'an order event'),
    handle: o.handle,
    consumer: o.consumer,
    ...(o.start ? { start: o.start } : {}),
  });
  return {
    ready: consumer.ready,
    stop: async () => {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}
