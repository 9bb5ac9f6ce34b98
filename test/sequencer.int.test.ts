import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetter, decision, newId, type Decision, type DropCommand } from '../contracts/index.ts';
import { ensureTopics } from '../platform/kafka.ts';
import {
  createDecider,
  createSequencer,
  sequencerKeys,
  type Sequencer,
  type SequencerTopics,
} from '../sequencer/index.ts';
import { createTestDrop, type TestDrop } from './fixtures.ts';
import { tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const admin = rt.kafka.admin();
const producer = rt.kafka.producer({ idempotent: true });
const created: string[] = [];
const drops: string[] = [];
const consumers: Consumer[] = [];

beforeAll(async () => {
  await Promise.all([admin.connect(), producer.connect()]);
});
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  await producer.disconnect();
  if (created.length > 0) await admin.deleteTopics({ topics: created });
  await admin.disconnect();
  for (const d of drops) await rt.redis.del(...Object.values(sequencerKeys(d)));
  await rt.redis.quit();
  await rt.sql.end();
});

/** Topics of this test alone: intents with 2 partitions, decisions, dead letters. */
async function testTopics(): Promise<SequencerTopics> {
  const t = tag();
  const topics = {
    intents: `test-intents-${t}`,
    decisions: `test-decisions-${t}`,
    deadLetters: `test-dead-${t}`,
  };
  await ensureTopics(admin, [
    { name: topics.intents, partitions: 2 },
    { name: topics.decisions, partitions: 2 },
    { name: topics.deadLetters, partitions: 1 },
  ]);
  created.push(...Object.values(topics));
  return topics;
}

async function testDrop(quantity: number, partition: number): Promise<TestDrop> {
  const d = await createTestDrop(rt, { quantity, hold_seconds: 300, partition });
  drops.push(d.drop_id);
  return d;
}

interface Seen {
  partition: number;
  offset: number;
  key: string | null;
  value: string;
}

/** Every message of a topic from the beginning, as it arrives. */
async function collect(topic: string): Promise<Seen[]> {
  const seen: Seen[] = [];
  const c = rt.kafka.consumer({ groupId: `test-reader-${tag()}` });
  consumers.push(c);
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  await c.run({
    eachBatch: ({ batch }) => {
      for (const m of batch.messages) {
        seen.push({
          partition: batch.partition,
          offset: Number(m.offset),
          key: m.key?.toString() ?? null,
          value: m.value!.toString(),
        });
      }
      return Promise.resolve();
    },
  });
  return seen;
}

/** How long to wait for the sequencer or a reader to get somewhere. */
const wait = { timeout: 60_000, interval: 100 };

/**
 * Waits until `seen` holds every message the topic has now, up to its end offsets. Called once nothing more is
 * produced (the sequencer stopped, or committed past its last command), it marks that nothing more will come.
 */
async function readToEnd(topic: string, seen: Seen[]): Promise<void> {
  const last = (await admin.fetchTopicOffsets(topic))
    .filter((e) => Number(e.high) > 0)
    .map((e) => ({ partition: e.partition, offset: Number(e.high) - 1 }));
  const unread = () => last.filter((l) => !seen.some((m) => m.partition === l.partition && m.offset === l.offset));
  await expect.poll(() => unread().map((l) => l.partition), wait).toEqual([]);
}

/** The offset the group has committed on the partition of the topic. */
async function committed(groupId: string, topic: string, partition: number): Promise<number> {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Number(t!.partitions.find((p) => p.partition === partition)!.offset);
}

const base = (d: TestDrop) => ({ v: 1 as const, drop_id: d.drop_id, at: Date.now() });
const joinOf = (d: TestDrop): Extract<DropCommand, { type: 'join' }> => ({
  type: 'join',
  ...base(d),
  intent_id: newId(),
  user_id: newId(),
  quantity: 1,
});

/** Produces commands in order to the drop's partition, a few hundred per request. */
async function produce(
  topic: string,
  d: TestDrop,
  commands: (DropCommand | string)[],
  partition = d.partition,
): Promise<void> {
  for (let i = 0; i < commands.length; i += 500) {
    await producer.send({
      topic,
      acks: -1,
      messages: commands.slice(i, i + 500).map((c) => ({
        key: d.drop_id,
        partition,
        value: typeof c === 'string' ? c : JSON.stringify(c),
      })),
    });
  }
}

const purchaseOf = (d: TestDrop, intent_id: string): DropCommand => ({
  type: 'purchase',
  ...base(d),
  intent_id,
  order_id: newId(),
});

const decisionsOf = (seen: { value: string }[]) => seen.map((m) => decision.parse(JSON.parse(m.value)));

/** The newest decision of each intent (highest seq), as a consumer keeps them. */
function latest(ds: Decision[]): Map<string, Decision> {
  const m = new Map<string, Decision>();
  for (const d of ds) if ((m.get(d.intent_id)?.seq ?? 0) < d.seq) m.set(d.intent_id, d);
  return m;
}

const count = (m: Map<string, Decision>, status: string) =>
  [...m.values()].filter((d) => d.status === status).length;
const upTo = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

async function redisState(d: TestDrop) {
  const k = sequencerKeys(d.drop_id);
  return {
    state: await rt.redis.hgetall(k.state),
    decisions: await rt.redis.hgetall(k.decisions),
    waitlist: await rt.redis.lrange(k.waitlist, 0, -1),
    pending: await rt.redis.zcard(k.pending),
  };
}

function sequencer(
  topics: SequencerTopics,
  groupId: string,
  o: { batchMax?: number; clock?: () => number } = {},
): Sequencer {
  return createSequencer({ kafka: rt.kafka, redis: rt.redis, logger: rt.logger, topics, groupId, ...o });
}

describe('sequencer through Kafka', () => {
  it('reserves the 100 earliest of 2,000 joins, waitlists the rest, sells out once all 100 are bought', async () => {
    const topics = await testTopics();
    const drop = await testDrop(100, 1);
    const joins = Array.from({ length: 2000 }, () => joinOf(drop));
    await produce(topics.intents, drop, joins);
    const seen = await collect(topics.decisions);
    const groupId = `test-sequencer-${tag()}`;
    const s = sequencer(topics, groupId);
    await s.start();
    try {
      // Marker: the sequencer committed past every join (a chunk commits once its decisions are produced), and all
      // it produced has been read. A second decision for a join would be in `seen` by now.
      await expect.poll(() => committed(groupId, topics.intents, drop.partition), wait).toBe(joins.length);
      await readToEnd(topics.decisions, seen);
      const first = decisionsOf(seen);
      expect(seen.every((m) => m.key === drop.drop_id)).toBe(true);
      expect(first).toHaveLength(2000);
      const byIntent = latest(first);
      expect(byIntent.size).toBe(2000);
      joins.forEach((j, i) => expect(byIntent.get(j.intent_id)?.offset).toBe(i));
      const reserved = first.filter((d) => d.status === 'reserved');
      expect(reserved).toHaveLength(100);
      expect(reserved.map((d) => d.offset).sort((a, b) => a - b)).toEqual(upTo(100, 0));
      expect(count(byIntent, 'waitlisted')).toBe(1900);

      await produce(
        topics.intents,
        drop,
        reserved.map((r) => purchaseOf(drop, r.intent_id)),
      );
      await expect
        .poll(() => committed(groupId, topics.intents, drop.partition), wait)
        .toBe(joins.length + reserved.length);
      await readToEnd(topics.decisions, seen);
      const all = decisionsOf(seen);
      const final = latest(all);
      expect(count(final, 'purchased')).toBe(100);
      expect(count(final, 'sold_out')).toBe(1900);
      expect(all.map((d) => d.seq).sort((a, b) => a - b)).toEqual(upTo(4000));
      const r = await redisState(drop);
      expect(r.state).toMatchObject({ stock: '0', held: '0', purchased: '100', status: 'sold_out' });
      expect(r.state.seq).toBe('4000');
      expect(r.waitlist).toEqual([]);
      expect(r.pending).toBe(0);
    } finally {
      await s.stop();
    }
  }, 120_000);

  it('makes no second reservation and changes no decision across a stop, a restart and a replay', async () => {
    const topics = await testTopics();
    const drop = await testDrop(50, 0);
    const groupId = `test-sequencer-${tag()}`;
    const j = Array.from({ length: 600 }, () => joinOf(drop));
    const log: DropCommand[] = [
      ...j.slice(0, 300),
      ...j.slice(0, 10).map((x): DropCommand => ({
        type: 'release',
        ...base(drop),
        intent_id: x.intent_id,
        reason: 'payment_failed',
      })),
      ...j.slice(10, 20).map((x) => purchaseOf(drop, x.intent_id)),
      ...j.slice(20, 40), // the edge re-produces joins it was unsure about
      ...j.slice(300),
    ];
    await produce(topics.intents, drop, log);
    const seen = await collect(topics.decisions);
    const committedOffset = () => committed(groupId, topics.intents, drop.partition);

    // A stops itself while deciding its fifth chunk: it finishes that chunk, commits and leaves.
    let chunks = 0;
    const a: Sequencer = sequencer(topics, groupId, {
      batchMax: 25,
      clock: () => {
        if (++chunks === 5) void a.stop();
        return Date.now();
      },
    });
    await a.start();
    await expect.poll(() => chunks, wait).toBeGreaterThanOrEqual(5);
    await a.stop();
    const stoppedAt = await committedOffset();
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(log.length);

    const b = sequencer(topics, groupId, { batchMax: 100 });
    await b.start();
    await expect.poll(committedOffset, wait).toBe(log.length);
    await b.stop();
    await readToEnd(topics.decisions, seen); // everything A and B produced
    expect(latest(decisionsOf(seen)).size).toBe(600);
    const before = await redisState(drop);
    const deliveredBefore = seen.length;

    await admin.resetOffsets({ groupId, topic: topics.intents, earliest: true });
    const c = sequencer(topics, groupId);
    await c.start();
    await expect.poll(committedOffset, wait).toBe(log.length);
    await c.stop();
    await readToEnd(topics.decisions, seen); // everything C produced: a changed decision would be in `seen` now
    expect(seen.length).toBeGreaterThanOrEqual(deliveredBefore + 600); // C answered the replayed joins

    expect(await redisState(drop)).toEqual(before);
    const all = decisionsOf(seen);
    const bySeq = new Map<number, string>();
    for (const d of all) {
      const s = JSON.stringify(d);
      expect(bySeq.get(d.seq) ?? s).toBe(s); // a seq is one decision, however often it is delivered
      bySeq.set(d.seq, s);
    }
    expect([...bySeq.keys()].sort((x, y) => x - y)).toEqual(upTo(630));
    const reservations = new Map<string, number>();
    for (const d of all) if (d.status === 'reserved') reservations.set(`${d.intent_id}:${d.seq}`, 1);
    const reservedIntents = [...reservations.keys()].map((k) => k.split(':')[0]);
    expect(new Set(reservedIntents).size).toBe(reservedIntents.length); // nobody reserved twice
    expect(reservedIntents).toHaveLength(60); // 50, plus 10 handed on after payment failures
    const final = latest(all);
    j.forEach((x, i) => {
      const expected = i < 10 ? 'payment_failed' : i < 20 ? 'purchased' : i < 60 ? 'reserved' : 'waitlisted';
      expect(final.get(x.intent_id)?.status).toBe(expected);
    });
    expect(before.state).toMatchObject({ stock: '0', held: '40', purchased: '10', seq: '630' });
    expect(before.state.decided_offset).toBe(String(log.length - 1));
    expect(before.pending).toBe(0);
  }, 120_000);

  it('hands on the decisions of a sequencer that died between its script call and Kafka', async () => {
    const topics = await testTopics();
    const drop = await testDrop(10, 0);
    const joins = Array.from({ length: 30 }, () => joinOf(drop));
    await produce(topics.intents, drop, joins);
    // the dead instance decided the first 20 joins, then never produced nor committed
    const decider = await createDecider(rt.redis);
    const commands = joins.slice(0, 20).map((command, offset) => ({ offset, command }));
    const lost = await decider.decide({ dropId: drop.drop_id, partition: 0, now: Date.now(), commands });
    expect(lost).toMatchObject({ ok: true, redelivered: 0 });
    const seen = await collect(topics.decisions);
    const groupId = `test-sequencer-${tag()}`;
    const s = sequencer(topics, groupId);
    await s.start();
    try {
      await expect.poll(() => committed(groupId, topics.intents, drop.partition), wait).toBe(joins.length);
    } finally {
      await s.stop();
    }
    await readToEnd(topics.decisions, seen); // a pending decision sent twice would be in `seen` now
    const all = decisionsOf(seen);
    expect(all).toHaveLength(30); // the replayed joins repeat what was pending, so it is sent once
    expect(all.map((d) => d.seq)).toEqual(upTo(30));
    expect(all.slice(0, 20).map((d) => JSON.stringify(d))).toEqual(lost.ok ? lost.decisions : []);
    const final = latest(all);
    expect(count(final, 'reserved')).toBe(10);
    expect(count(final, 'waitlisted')).toBe(20);
    expect((await redisState(drop)).pending).toBe(0);
  }, 120_000);

  it('parks bad messages and commands it cannot decide on the dead-letter topic, decides the rest', async () => {
    const topics = await testTopics();
    const drop = await testDrop(5, 1);
    const good = joinOf(drop);
    const ghost = { ...joinOf(drop), drop_id: newId() };
    await produce(topics.intents, drop, ['not json', { ...joinOf(drop), quantity: 0 }, ghost, good]);
    await produce(topics.intents, drop, [joinOf(drop)], 0); // not the drop's partition
    const dead = await collect(topics.deadLetters);
    const seen = await collect(topics.decisions);
    const groupId = `test-sequencer-${tag()}`;
    const s = sequencer(topics, groupId);
    await s.start();
    try {
      // Marker: the sequencer committed past every message of both partitions (4 on the drop's, 1 on the other).
      await expect.poll(() => committed(groupId, topics.intents, 1), wait).toBe(4);
      await expect.poll(() => committed(groupId, topics.intents, 0), wait).toBe(1);
    } finally {
      await s.stop();
    }
    await readToEnd(topics.deadLetters, dead);
    await readToEnd(topics.decisions, seen); // a decision for a parked command would be in `seen` now
    const letters = dead.map((m) => deadLetter.parse(JSON.parse(m.value)));
    const at = (p: number, o: number) => letters.find((l) => l.source.partition === p && l.source.offset === o)!;
    expect(at(1, 0)).toMatchObject({ source: { topic: topics.intents }, value: 'not json' });
    expect(at(1, 0).reason).toMatch(/^not JSON/);
    expect(at(1, 1).reason).toMatch(/^not a command: quantity/);
    expect(at(1, 2).reason).toBe(`drop ${ghost.drop_id} has no state in Redis`);
    expect(at(0, 0).reason).toBe(`drop ${drop.drop_id} belongs to partition 1, not 0`);
    expect(JSON.parse(at(1, 2).value!)).toEqual(ghost);
    expect(decisionsOf(seen)).toMatchObject([{ intent_id: good.intent_id, status: 'reserved', offset: 3 }]);
  }, 120_000);
});
