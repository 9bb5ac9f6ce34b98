import type { ConsumerConfig, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { deadLetterOf, type MessageParse } from '../contracts/index.ts';
import { isDataError } from './errors.ts';
import { consumerDefaults, startGroupAtEnd } from './kafka.ts';
import { consumerLag } from './metrics.ts';
import type { Logger } from './logger.ts';

export interface BatchConsumerOptions<T> {
  kafka: Kafka;
  /** Sends the dead letters. */
  producer: Producer;
  logger: Logger;
  topic: string;
  groupId: string;
  deadLetterTopic: string;
  /** A message's value as what `handle` takes, or why it is not one (the dead letter's reason). */
  parse: (value: Buffer | null) => MessageParse<T>;
  /**
   * Does the work of a batch's valid messages, in log order, idempotently (a batch may come again after a crash),
   * and answers those it cannot do (by index, with the reason), to be parked. Throws to have the batch retried; a
   * batch refused for its data (SQLSTATE 22/23) is handled again message by message, and the messages refused
   * alone are parked.
   */
  handle: (values: T[]) => Promise<void | Refusal[]>;
  consumer?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  /**
   * Where a group that has never committed starts: the beginning of the topic (the default), or its end when it
   * first starts (see startGroupAtEnd), for consumers that must not act on the whole history of a long-lived topic.
   */
  start?: 'earliest' | 'latest';
}

/** A message of a batch that `handle` could not do, and why: it goes to the dead-letter topic. */
export interface Refusal {
  index: number;
  reason: string;
}

export interface BatchConsumer {
  /** Resolves once the consumer has joined its group. */
  ready: Promise<void>;
  /** Stops fetching, lets the batch in progress finish and commit, then leaves the group. */
  stop(): Promise<void>;
}

interface Item<T> {
  message: KafkaMessage;
  value: T;
}

/**
 * A consumer group member that works its topic batch by batch, at least once: a batch's offsets are committed
 * only after `handle` finished it and its unreadable or refused messages went to the dead-letter topic with the
 * reason. Any other failure (a database down) makes kafkajs retry the batch with backoff.
 */
export async function startBatchConsumer<T>(o: BatchConsumerOptions<T>): Promise<BatchConsumer> {
  const log = o.logger.child({ consumer: o.groupId });
  const consumer = o.kafka.consumer({ ...consumerDefaults, groupId: o.groupId, ...o.consumer });

  /** Handles the items; when their data is at fault, one by one, answering the ones refused alone. */
  const work = async (items: Item<T>[]): Promise<{ item: Item<T>; reason: string }[]> => {
    try {
      if (items.length === 0) return [];
      const refused = (await o.handle(items.map((i) => i.value))) ?? [];
      return refused.map((r) => ({ item: items[r.index]!, reason: r.reason }));
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (items.length === 1) return [{ item: items[0]!, reason: `refused by the database: ${(err as Error).message}` }];
    }
    const refused: { item: Item<T>; reason: string }[] = [];
    for (const item of items) refused.push(...(await work([item])));
    return refused;
  };

  const park = async (partition: number, dead: { message: KafkaMessage; reason: string }[]) => {
    if (dead.length === 0) return;
    const source = (m: KafkaMessage) => ({ topic: o.topic, partition, offset: Number(m.offset), consumer: o.groupId });
    for (const d of dead) log.warn({ topic: o.topic, partition, offset: d.message.offset, reason: d.reason }, 'dead-lettered');
    await o.producer.send({
      topic: o.deadLetterTopic,
      acks: -1,
      messages: dead.map((d) => ({
        key: d.message.key,
        value: JSON.stringify(deadLetterOf(source(d.message), d.reason, d.message.value, Date.now())),
      })),
    });
  };

  let joined!: () => void;
  const ready = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  consumer.on(consumer.events.CRASH, (e) => log.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed'));
  if (o.start === 'latest') {
    const admin = o.kafka.admin();
    await admin.connect();
    await startGroupAtEnd(admin, o.groupId, o.topic).finally(() => admin.disconnect());
  }
  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async (b) => {
      const { batch } = b;
      if (!b.isRunning() || b.isStale() || batch.messages.length === 0) return;
      const items: Item<T>[] = [];
      const dead: { message: KafkaMessage; reason: string }[] = [];
      for (const message of batch.messages) {
        const parsed = o.parse(message.value);
        if (parsed.ok) items.push({ message, value: parsed.value });
        else dead.push({ message, reason: parsed.reason });
      }
      for (const r of await work(items)) dead.push({ message: r.item.message, reason: r.reason });
      await park(batch.partition, dead);
      b.resolveOffset(batch.lastOffset());
      await b.commitOffsetsIfNecessary();
      consumerLag.set({ group: o.groupId, topic: o.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
      await b.heartbeat();
    },
  });
  return { ready, stop: () => consumer.disconnect() };
}
