import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics, reliableProducer } from '../platform/kafka.ts';
import { createOutboxRelay } from '../platform/outbox.ts';
import { tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const admin = rt.kafka.admin();
const created: string[] = [];
let producer: Producer;

beforeAll(async () => {
  await admin.connect();
  producer = reliableProducer(rt.kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await rt.sql`delete from outbox where topic = any(${created}::text[])`;
  await admin.disconnect();
  await rt.redis.quit();
  await rt.sql.end();
});

/** A fresh one-partition topic with `n` outbox rows for it, their ids from `firstId` on when given. */
async function topicWithRows(n: number, firstId?: bigint) {
  const topic = `test-outbox-${tag()}`;
  created.push(topic);
  await ensureTopics(admin, [{ name: topic, partitions: 1 }]);
  const rows = Array.from({ length: n }, (_, i) => ({
    ...(firstId === undefined ? {} : { id: String(firstId + BigInt(i)) }),
    topic,
    key: `k${i % 7}`,
    payload: rt.sql.json({ i }),
  }));
  if (firstId !== undefined) await rt.sql`delete from outbox where id between ${rows[0]!.id!} and ${rows.at(-1)!.id!}`; // a run that stopped midway
  await rt.sql`insert into outbox ${rt.sql(rows)}`;
  return topic;
}

/**
 * The topic's whole log, read once the relays are done, up to the end offset Kafka reports then: each offset
 * once, in offset order (a consumer may be handed a range twice around a rebalance; the log itself is what the
 * relays wrote, a row published twice included).
 */
async function readAll(topic: string): Promise<number[]> {
  const [end] = await admin.fetchTopicOffsets(topic); // the topic has one partition
  const messages = Number(end!.high);
  const consumer = rt.kafka.consumer({ groupId: `test-outbox-reader-${tag()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const log = new Map<number, number>();
  await consumer.run({
    eachMessage: ({ message }) => {
      log.set(Number(message.offset), (JSON.parse(message.value!.toString()) as { i: number }).i);
      return Promise.resolve();
    },
  });
  await expect.poll(() => log.size, { timeout: 20_000, interval: 50 }).toBe(messages);
  await consumer.disconnect();
  return [...log].sort(([a], [b]) => a - b).map(([, i]) => i);
}

const unpublished = async (topic: string) =>
  (
    await rt.sql<
      { n: number }[]
    >`select count(*)::int as n from outbox where topic = ${topic} and published_at is null`
  )[0]!.n;

describe('outbox relay', () => {
  it('publishes rows in id order and marks them published', async () => {
    const topic = await topicWithRows(450);
    const relay = createOutboxRelay({
      sql: rt.sql,
      producer,
      logger: rt.logger,
      topics: [topic],
      batchSize: 100,
    });
    while ((await relay.relayOnce()) > 0);
    expect(await readAll(topic)).toEqual(Array.from({ length: 450 }, (_, i) => i));
    expect(await unpublished(topic)).toBe(0);
  });

  it('keeps id order where the ids gain a digit (ordered as numbers, not as their text)', async () => {
    // Ids 999,999,999,999,995 … 1,000,000,000,000,004, given explicitly: far past anything the sequence hands out.
    const topic = await topicWithRows(10, 10n ** 15n - 5n);
    const relay = createOutboxRelay({ sql: rt.sql, producer, logger: rt.logger, topics: [topic], batchSize: 3 });
    while ((await relay.relayOnce()) > 0);
    expect(await readAll(topic)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('lets several relays run at once, each row going out once', async () => {
    const topic = await topicWithRows(600);
    const relays = Array.from({ length: 3 }, () =>
      createOutboxRelay({
        sql: rt.sql,
        producer,
        logger: rt.logger,
        topics: [topic],
        batchSize: 50,
        intervalMs: 20,
      }),
    );
    const loops = relays.map((r) => r.start());
    // Every row is marked only once Kafka has it; with the loops stopped after that, the log is complete.
    await expect.poll(() => unpublished(topic), { timeout: 20_000, interval: 50 }).toBe(0);
    await Promise.all(loops.map((l) => l.stop()));
    const seen = await readAll(topic);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });

  it('keeps rows it could not publish, for the next attempt', async () => {
    const topic = await topicWithRows(10);
    const down = rt.kafka.producer(); // never connected: every send fails
    const failing = createOutboxRelay({ sql: rt.sql, producer: down, logger: rt.logger, topics: [topic] });
    await expect(failing.relayOnce()).rejects.toThrow();
    expect(await unpublished(topic)).toBe(10);
    const relay = createOutboxRelay({ sql: rt.sql, producer, logger: rt.logger, topics: [topic] });
    expect(await relay.relayOnce()).toBe(10);
    expect(await readAll(topic)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('publishes the other topics while Kafka refuses one, and that one in order once it exists', async () => {
    const missing = `test-outbox-missing-${tag()}`;
    created.push(missing);
    await rt.sql`insert into outbox ${rt.sql([0, 1, 2].map((i) => ({ topic: missing, key: 'k', payload: rt.sql.json({ i }) })))}`;
    const topic = await topicWithRows(5);
    const relay = createOutboxRelay({ sql: rt.sql, producer, logger: rt.logger, topics: [missing, topic], restMs: 60_000 });
    expect(await relay.relayOnce()).toBe(5);
    expect(await unpublished(topic)).toBe(0);
    expect(await unpublished(missing)).toBe(3);
    // Left out while it rests: the next batch does not wait on it again.
    expect(await relay.relayOnce()).toBe(0);

    await ensureTopics(admin, [{ name: missing, partitions: 1 }]);
    const next = createOutboxRelay({ sql: rt.sql, producer, logger: rt.logger, topics: [missing, topic] });
    expect(await next.relayOnce()).toBe(3);
    expect(await readAll(missing)).toEqual([0, 1, 2]);
    expect(await readAll(topic)).toEqual([0, 1, 2, 3, 4]);
  });
});
