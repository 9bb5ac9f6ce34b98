import { Partitioners, type Admin, type ICustomPartitioner, type Kafka, type Producer } from 'kafkajs';
import type { TopicSpec } from '../contracts/index.ts';

/**
 * Makes sure every topic exists with at least its partition count. Safe to run from several
 * processes at once: existing topics are left as they are, missing partitions are added.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({ topic: s.name, numPartitions: s.partitions, replicationFactor: 1 })),
      });
    } catch (err) {
      if (!isTopicExists(err)) throw err;
    }
  }
  const meta = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
  const grow = specs.flatMap((s) => {
    const have = meta.topics.find((t) => t.name === s.name)?.partitions.length ?? 0;
    return have < s.partitions ? [{ topic: s.name, count: s.partitions }] : [];
  });
  if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
}

const isTopicExists = (err: unknown): boolean =>
  err instanceof Error &&
  (('type' in err && err.type === 'TOPIC_ALREADY_EXISTS') ||
    ('errors' in err &&
      Array.isArray(err.errors) &&
      err.errors.every((e: { type?: string }) => e.type === 'TOPIC_ALREADY_EXISTS')));

/**
 * The offset the next message of a partition will get (its high watermark). Retries for a few
 * seconds while leadership settles, as it does just after a topic is created.
 */
export async function nextOffset(admin: Admin, topic: string, partition: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const p = (await admin.fetchTopicOffsets(topic)).find((o) => o.partition === partition);
      if (!p) throw new Error(`topic ${topic} has no partition ${partition}`);
      return Number(p.high);
    } catch (err) {
      if (attempt >= 20 || !(err instanceof Error && 'retriable' in err && err.retriable === true)) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Gives a consumer group that has committed nothing on `topic` the topic's current end as its committed offsets:
 * it starts with what is produced from now on, and a restart before it consumed anything starts there too (a
 * group left to reset to the latest offset by itself would skip what came meanwhile). Offsets the group has
 * committed are kept; while a member of the group runs, nothing is changed.
 */
export async function startGroupAtEnd(admin: Admin, groupId: string, topic: string): Promise<void> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const unset = new Set((committed?.partitions ?? []).filter((p) => Number(p.offset) < 0).map((p) => p.partition));
  if (unset.size === 0) return;
  const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => unset.has(p.partition));
  try {
    await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
  } catch (err) {
    if (!(err instanceof Error && /no running instances/.test(err.message))) throw err;
  }
}

/**
 * Consumer settings of the platform's groups: a member that dies without leaving is replaced after
 * 10 s (kafkajs's default is 30 s), so a crashed sequencer's partitions move on quickly.
 */
export const consumerDefaults = { sessionTimeout: 10_000, heartbeatInterval: 1_000 } as const;

/**
 * The platform's producer: idempotent, one request in flight (so a retry never reorders a partition), Kafka's
 * default partitioning (murmur2 of the key).
 */
export const reliableProducer = (kafka: Kafka): Producer =>
  kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });

/** Most keys whose partition one {@link keyedPartitioner} remembers before it starts afresh. */
const REMEMBERED_KEYS = 10_000;

/**
 * Kafka's default partitioning (an explicit partition, else murmur2 of the key, else round robin), with each
 * key's partition remembered per topic and partition count: the sequencer produces thousands of decisions a
 * second under one drop's key, and kafkajs hashed every one (and filtered the partition list for it), which
 * cost more than encoding them.
 */
export const keyedPartitioner: ICustomPartitioner = () => {
  const partition = Partitioners.DefaultPartitioner();
  let known = new Map<string, number>();
  return (args) => {
    const { message } = args;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key === null || message.key === undefined) return partition(args);
    const k = `${args.topic}\n${args.partitionMetadata.length}\n${message.key.toString()}`;
    let p = known.get(k);
    if (p === undefined) {
      if (known.size >= REMEMBERED_KEYS) known = new Map();
      p = partition(args);
      known.set(k, p);
    }
    return p;
  };
};
