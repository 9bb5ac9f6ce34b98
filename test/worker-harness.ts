import type { Consumer, Producer } from 'kafkajs';
import { vi } from 'vitest';
import { dropCommand, type Decision, type DropCommand, type OrderEvent } from '../contracts/index.ts';
import type { OrderWorkerOptions } from '../order-worker/index.ts';
import { ensureTopics, reliableProducer } from '../platform/kafka.ts';
import type { Runtime } from '../platform/runtime.ts';
import { tag } from './helpers.ts';

/** For tests only: the order worker's surroundings (topics, a stand-in sequencer) on a real Kafka. */

export type DecisionInput = Pick<Decision, 'drop_id' | 'intent_id' | 'user_id' | 'status'> &
  Partial<Decision>;

export interface WorkerHarness {
  topics: { decisions: string; intents: string; orderEvents: string; deadLetters: string };
  /** Produces decisions to the decisions topic; a missing seq is the drop's next one. */
  decide(...ds: DecisionInput[]): Promise<Decision[]>;
  /** Produces raw values to the decisions topic (for malformed input). */
  produceRaw(key: string, value: string): Promise<void>;
  /** Commands the worker sent, in arrival order. */
  commands: DropCommand[];
  /**
   * Resolves once every command already on the intents topic is in `commands`: a marker sent to each partition
   * after them has come back. A test that asserts a command was *not* sent waits for this first.
   */
  commandsCaughtUp(): Promise<void>;
  /** Messages relayed to the order events topic. */
  events: OrderEvent[];
  /** Dead letters as JSON. */
  deadLetters: { reason: string; value: string | null }[];
  /** Answer each purchase command like the sequencer: purchased while the hold lasts, expired after. */
  answerPurchases(on: boolean): void;
  /** What an order worker on the harness starts with: these topics and a group of its own. */
  workerOptions(): Pick<OrderWorkerOptions, 'topics' | 'groupId'>;
  close(): Promise<void>;
}

export async function createWorkerHarness(rt: Runtime, partitions = 4): Promise<WorkerHarness> {
  const t = tag();
  const topics = {
    decisions: `test-decisions-${t}`,
    intents: `test-intents-${t}`,
    orderEvents: `test-order-events-${t}`,
    deadLetters: `test-dead-letters-${t}`,
  };
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [
    { name: topics.decisions, partitions },
    { name: topics.intents, partitions },
    { name: topics.orderEvents, partitions: 1 },
    { name: topics.deadLetters, partitions: 1 },
  ]);
  const producer: Producer = reliableProducer(rt.kafka);
  await producer.connect();
  const seqs = new Map<string, number>();
  const last = new Map<string, Decision>();
  const commands: DropCommand[] = [];
  const events: OrderEvent[] = [];
  const deadLetters: { reason: string; value: string | null }[] = [];
  /** Markers of `commandsCaughtUp` seen on the intents topic (never commands, so never in `commands`). */
  const markers = new Set<string>();
  let answering = false;

  const decide = async (...ds: DecisionInput[]): Promise<Decision[]> => {
    const full = ds.map((d): Decision => {
      const seq = d.seq ?? (seqs.get(d.drop_id) ?? 0) + 1;
      seqs.set(d.drop_id, Math.max(seq, seqs.get(d.drop_id) ?? 0));
      const out: Decision = { type: 'decision', v: 1, quantity: 1, offset: 0, at: Date.now(), ...d, seq };
      last.set(d.intent_id, out);
      return out;
    });
    await producer.send({
      topic: topics.decisions,
      acks: -1,
      messages: full.map((d) => ({ key: d.drop_id, value: JSON.stringify(d) })),
    });
    return full;
  };

  const onCommand = async (c: DropCommand) => {
    commands.push(c);
    const prev = last.get(c.type === 'close' ? '' : c.intent_id);
    if (!answering || c.type !== 'purchase' || !prev || prev.status !== 'reserved') return;
    const valid = prev.hold_expires_at !== undefined && c.at < prev.hold_expires_at;
    const next = { ...prev, seq: undefined, at: Date.now() };
    await decide(
      valid ? { ...next, status: 'purchased', order_id: c.order_id } : { ...next, status: 'expired' },
    );
  };

  const consumers: Consumer[] = [];
  const listen = async (topic: string, handle: (value: string) => Promise<void> | void) => {
    const consumer = rt.kafka.consumer({ groupId: `test-listener-${tag()}`, maxWaitTimeInMs: 100 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => handle(message.value?.toString('utf8') ?? 'null'),
    });
  };
  await Promise.all([
    listen(topics.intents, (v) => {
      const parsed: unknown = JSON.parse(v);
      const marker = (parsed as { marker?: unknown } | null)?.marker;
      if (typeof marker === 'string') return void markers.add(marker);
      return onCommand(dropCommand.parse(parsed));
    }),
    listen(topics.orderEvents, (v) => void events.push(JSON.parse(v) as OrderEvent)),
    listen(
      topics.deadLetters,
      (v) => void deadLetters.push(JSON.parse(v) as { reason: string; value: string | null }),
    ),
  ]);

  return {
    topics,
    decide,
    produceRaw: async (key, value) => {
      await producer.send({ topic: topics.decisions, acks: -1, messages: [{ key, value }] });
    },
    commands,
    async commandsCaughtUp() {
      const t = tag();
      const sent = Array.from({ length: partitions }, (_, p) => ({ partition: p, marker: `${t}:${p}` }));
      await producer.send({
        topic: topics.intents,
        acks: -1,
        messages: sent.map((m) => ({ partition: m.partition, value: JSON.stringify({ marker: m.marker }) })),
      });
      await vi.waitFor(
        () => {
          const missing = sent.filter((m) => !markers.has(m.marker)).map((m) => m.partition);
          if (missing.length > 0) throw new Error(`no marker back yet from partitions ${missing.join(', ')}`);
        },
        { timeout: 15_000, interval: 50 },
      );
    },
    events,
    deadLetters,
    answerPurchases: (on) => {
      answering = on;
    },
    workerOptions: () => ({ topics, groupId: `test-order-worker-${tag()}` }),
    async close() {
      await Promise.all(consumers.map((c) => c.disconnect()));
      await producer.disconnect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      // Rows for deleted topics would stall a relay that publishes every topic.
      await rt.sql`delete from outbox where topic = any(${Object.values(topics)}::text[])`;
      await admin.disconnect();
    },
  };
}
