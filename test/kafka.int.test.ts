import { afterAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '../platform/kafka.ts';
import { tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const admin = rt.kafka.admin();
afterAll(async () => {
  await admin.disconnect();
  await rt.redis.quit();
  await rt.sql.end();
});

describe('kafka', () => {
  it('creates topics idempotently, adding partitions when a spec grows', async () => {
    await admin.connect();
    const name = `test-topic-${tag()}`;
    await ensureTopics(admin, [{ name, partitions: 2 }]);
    await ensureTopics(admin, [{ name, partitions: 2 }]);
    await ensureTopics(admin, [{ name, partitions: 4 }]);
    // Metadata reaches every broker listener a moment after the change; ask until it has.
    await expect
      .poll(async () => (await admin.fetchTopicMetadata({ topics: [name] })).topics[0]!.partitions.length, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(4);
    await admin.deleteTopics({ topics: [name] });
  });

  it('round-trips messages through the platform client, in order per partition', async () => {
    await admin.connect();
    const topic = `test-topic-${tag()}`;
    await ensureTopics(admin, [{ name: topic, partitions: 1 }]);
    const producer = rt.kafka.producer({ idempotent: true });
    const consumer = rt.kafka.consumer({ groupId: `test-group-${tag()}` });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          seen.push(message.value!.toString());
          if (seen.length === 50) resolve();
          return Promise.resolve();
        },
      });
    });
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ key: 'k', value: `m${i}` })) });
    await done;
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    await admin.deleteTopics({ topics: [topic] });
  });
});
