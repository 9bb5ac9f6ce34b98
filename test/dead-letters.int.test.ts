import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFulfillment, type Fulfillment } from '../fulfillment/index.ts';
import { startStripeLocal } from '../infra/stripe-local/server.ts';
import { readDeadLetters, replayDeadLetters } from '../platform/dead-letters.ts';
import { reliableProducer } from '../platform/kafka.ts';
import { createConsumerHarness, type ConsumerHarness } from './consumer-harness.ts';
import { stripeAt, testRuntime } from './helpers.ts';
import { createPaidOrder } from './order-fixtures.ts';

const rt = testRuntime();
const local = await startStripeLocal({ port: 0 });
const wait = { timeout: 20_000, interval: 100 };
let h: ConsumerHarness;
let fulfillment: Fulfillment;
let producer: Producer;

beforeAll(async () => {
  h = await createConsumerHarness(rt);
  producer = reliableProducer(rt.kafka);
  await producer.connect();
  fulfillment = await startFulfillment(rt, { topic: h.topics.orderEvents, groupId: h.groupId, deadLetterTopic: h.topics.deadLetters, scanIntervalMs: 60_000 });
  await fulfillment.ready;
});
afterAll(async () => {
  await fulfillment?.closer.close();
  await producer?.disconnect();
  await h?.close();
  await local.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/** The dead-letter command, run as an operator runs it. */
const command = async (...args: string[]) =>
  (
    await promisify(execFile)(process.execPath, ['infra/dead-letters.ts', ...args, '--topic', h.topics.deadLetters], {
      cwd: resolve(import.meta.dirname, '..'),
      env: { ...process.env, LOG_LEVEL: 'silent' },
    })
  ).stdout;

describe('dead letters', () => {
  it('replays what a consumer parked, once the cause is fixed, to the consumer that parked it, once', async () => {
    const o = await createPaidOrder(rt, stripeAt(local.url), { topic: h.topics.orderEvents });
    const stock = await rt.sql<{ product_id: string; warehouse_id: string }[]>`
      select product_id, warehouse_id from inventory where product_id = ${o.products[0]!}`;
    await rt.sql`update order_items set warehouse_id = null where order_id = ${o.order_id}`;
    await rt.sql`delete from inventory where product_id = ${o.products[0]!}`;
    await h.relay();
    await expect.poll(() => h.deadLetters.length, wait).toBe(1);
    const shipments = () => rt.sql`select 1 from shipments where order_id = ${o.order_id}`;
    expect(await shipments()).toHaveLength(0);

    const listed = await command('list');
    expect(listed).toContain(h.groupId);
    expect(listed).toContain('leaves from no warehouse');
    expect(listed).toContain('not replayed');

    await rt.sql`insert into inventory ${rt.sql(stock.map((r) => ({ ...r, available_count: 5 })))}`;
    expect(await replayDeadLetters({ kafka: rt.kafka, producer, sql: rt.sql, topic: h.topics.deadLetters, consumer: 'someone-else' })).toEqual([]);
    expect(await command('replay', '--consumer', h.groupId)).toContain('1 dead letters replayed');
    await expect.poll(async () => (await shipments()).length, wait).toBe(1);
    expect(await command('replay')).toContain('0 dead letters replayed');
    const [letter] = await readDeadLetters(rt.kafka, rt.sql, h.topics.deadLetters);
    expect(letter!.replayed_at).toBeInstanceOf(Date);
    expect(h.deadLetters).toHaveLength(1);
  });

  it('refuses a command it does not know', async () => {
    const refused = await command('purge').then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toContain('usage: npm run dead-letters');
  });
});
