import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import { newOrderEvent, type DeadLetter, type OrderEvent, type OrderEventInput } from '../contracts/index.ts';
import { ensureTopics, reliableProducer } from '../platform/kafka.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';
import { createOutboxRelay } from '../platform/outbox.ts';
import type { Runtime } from '../platform/runtime.ts';
import { tag } from './helpers.ts';

/** For tests only: an order.events consumer's surroundings on a real Kafka: its topics, mail folder, dead letters. */
export interface ConsumerHarness {
  topics: { orderEvents: string; deadLetters: string };
  /** A consumer group of this harness alone. */
  groupId: string;
  /** Where the consumer's emails go (a fresh folder, removed by `close`). */
  mailDir: string;
  mailer: Mailer;
  /** Publishes every outbox row of the order events topic (what the order worker's relay does); answers how many. */
  relay(): Promise<number>;
  /** Produces events to the order events topic, keyed by order. */
  produce(...events: (OrderEvent | OrderEventInput)[]): Promise<OrderEvent[]>;
  produceRaw(key: string, value: string): Promise<void>;
  /** Dead letters seen on the harness's dead-letter topic. */
  deadLetters: DeadLetter[];
  /** The emails in the mail folder, by file name (key + .eml). */
  mail(): Promise<Map<string, string>>;
  close(): Promise<void>;
}

export async function createConsumerHarness(rt: Runtime, partitions = 3): Promise<ConsumerHarness> {
  const t = tag();
  const topics = { orderEvents: `test-order-events-${t}`, deadLetters: `test-dead-letters-${t}` };
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [
    { name: topics.orderEvents, partitions },
    { name: topics.deadLetters, partitions: 1 },
  ]);
  const producer: Producer = reliableProducer(rt.kafka);
  await producer.connect();
  // Ten rows a send: the log is many record batches, as a relay keeping up with a busy outbox writes it, so a
  // consumer meets it a few batches at a time (a fetch never splits a record batch).
  const relay = createOutboxRelay({ sql: rt.sql, producer, logger: rt.logger, topics: [topics.orderEvents], batchSize: 10 });
  const mailDir = await mkdtemp(join(tmpdir(), 'consumer-mail-'));
  const deadLetters: DeadLetter[] = [];
  const listener: Consumer = rt.kafka.consumer({ groupId: `test-dead-listener-${t}`, maxWaitTimeInMs: 100 });
  await listener.connect();
  await listener.subscribe({ topic: topics.deadLetters, fromBeginning: true });
  await listener.run({
    eachMessage: ({ message }) => {
      deadLetters.push(JSON.parse(message.value!.toString()) as DeadLetter);
      return Promise.resolve();
    },
  });

  return {
    topics,
    groupId: `test-consumer-${t}`,
    mailDir,
    mailer: createMailer({ SMTP_URL: undefined, MAIL_DIR: mailDir }),
    async relay() {
      let sent = 0;
      for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) sent += n;
      return sent;
    },
    async produce(...events) {
      const full = events.map((e) => ('event_id' in e ? e : newOrderEvent(e)));
      await producer.send({
        topic: topics.orderEvents,
        acks: -1,
        messages: full.map((e) => ({ key: e.order_id, value: JSON.stringify(e) })),
      });
      return full;
    },
    async produceRaw(key, value) {
      await producer.send({ topic: topics.orderEvents, acks: -1, messages: [{ key, value }] });
    },
    deadLetters,
    async mail() {
      const names = (await readdir(mailDir).catch(() => [])).filter((n) => n.endsWith('.eml'));
      return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(mailDir, n), 'utf8')] as const)));
    },
    async close() {
      await listener.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await rt.sql`delete from outbox where topic = any(${Object.values(topics)}::text[])`;
      await admin.disconnect();
      await rm(mailDir, { recursive: true, force: true });
    },
  };
}
