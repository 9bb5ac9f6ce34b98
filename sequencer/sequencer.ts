import type { Redis } from 'ioredis';
import { Partitioners, type ConsumerConfig, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';
import { topics as platformTopics } from '../contracts/index.ts';
import { consumerDefaults } from '../platform/kafka.ts';
import type { Logger } from '../platform/logger.ts';
import { chunk, deadLetter, groupByDrop, parseMessage, splitBySize, type DeadLetter } from './batch.ts';
import type { SequencedCommand } from './protocol.ts';
import { createDecider, type Decider } from './script.ts';

/** The topics a sequencer reads and writes; tests pass their own. */
export interface SequencerTopics {
  intents: string;
  decisions: string;
  deadLetters: string;
}

/** The sequencer's dependencies; every option but the clients has a production default. */
export interface SequencerOptions {
  kafka: Kafka;
  redis: Redis;
  logger: Logger;
  topics?: SequencerTopics;
  groupId?: string;
  /** Most messages per script call, and most waitlisted intents one call walks (default 2000). */
  batchMax?: number;
  /** Partitions decided at the same time (default 4); one partition is always decided in order. */
  concurrency?: number;
  /** Most bytes of message values in one produce request (default 512 KiB, under the broker's 1 MiB). */
  maxSendBytes?: number;
  /** Epoch ms; decides hold expiry times. */
  clock?: () => number;
  /** Consumer settings such as sessionTimeout (how soon a dead member's partitions move on). */
  consumer?: Partial<Omit<ConsumerConfig, 'groupId'>>;
}

export interface Sequencer {
  /** Loads the script, joins the consumer group and starts deciding; resolves once running. */
  start(): Promise<void>;
  /** Finishes the chunk in hand, commits its offsets and disconnects; a second call waits for the first. */
  stop(): Promise<void>;
}

/** The platform's topics (contracts/topics.ts). */
export const defaultTopics: SequencerTopics = {
  intents: platformTopics.dropIntents.name,
  decisions: platformTopics.dropDecisions.name,
  deadLetters: platformTopics.deadLetters.name,
};

interface Outgoing {
  topic: string;
  key: string | null;
  value: string;
}

/**
 * The single writer of each drop's stock. It reads `drop.intents` in log order and decides each
 * drop's commands of a chunk with one script call; a chunk's offsets are committed only after its
 * decisions (and the dead letters of messages it could not decide) are on Kafka. A crash anywhere
 * replays the uncommitted messages, which changes no decision; decisions made but not yet produced
 * are produced by the next call for that drop. Retriable failures (Redis or Kafka down) throw, so
 * kafkajs retries the batch.
 */
export function createSequencer(o: SequencerOptions): Sequencer {
  const topics = o.topics ?? defaultTopics;
  const groupId = o.groupId ?? 'sequencer';
  const batchMax = o.batchMax ?? 2000;
  const maxSendBytes = o.maxSendBytes ?? 512 * 1024;
  const clock = o.clock ?? Date.now;
  const log = o.logger.child({ component: 'sequencer', groupId });
  const consumer = o.kafka.consumer({ ...consumerDefaults, ...o.consumer, groupId, allowAutoTopicCreation: false });
  // One request in flight keeps the idempotent producer's sequence numbers gapless while several
  // partitions produce at once; a drop's decisions all go to the partition of its id.
  const producer = o.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let decider: Decider | undefined;
  let stopping: Promise<void> | undefined;

  async function send(out: Outgoing[]): Promise<void> {
    for (const slice of splitBySize(out, maxSendBytes)) {
      const byTopic = new Map<string, { key: string | null; value: string }[]>();
      for (const { topic, key, value } of slice) {
        const list = byTopic.get(topic) ?? [];
        list.push({ key, value });
        byTopic.set(topic, list);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  }

  async function decideChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const t0 = performance.now();
    const dead: DeadLetter[] = [];
    const commands: SequencedCommand[] = [];
    for (const m of messages) {
      const p = parseMessage(m);
      if (p.ok) commands.push(p.message);
      else dead.push(deadLetter(topic, partition, m, p.reason));
    }

    const now = clock();
    const groups = [...groupByDrop(commands)];
    const results = await Promise.all(
      groups.map(([dropId, cmds]) => decider!.decide({ dropId, partition, now, commands: cmds })),
    );

    const out: Outgoing[] = [];
    const acks: [string, number][] = [];
    let byOffset: Map<number, KafkaMessage> | undefined;
    results.forEach((r, i) => {
      const [dropId, cmds] = groups[i]!;
      if (r.ok) {
        for (const value of r.decisions) out.push({ topic: topics.decisions, key: dropId, value });
        if (r.decisions.length > 0) acks.push([dropId, r.seq]);
        if (r.redelivered > 0) log.warn({ dropId, count: r.redelivered }, 'redelivering pending decisions');
        if (r.calls > 1) {
          log.info({ dropId, calls: r.calls, decisions: r.decisions.length }, 'walked the waitlist in steps');
        }
        return;
      }
      byOffset ??= new Map(messages.map((m) => [Number(m.offset), m]));
      for (const c of cmds) dead.push(deadLetter(topic, partition, byOffset.get(c.offset)!, r.reason));
    });
    for (const d of dead) out.push({ topic: topics.deadLetters, key: null, value: JSON.stringify(d) });
    if (dead.length > 0) {
      const { offset, reason } = dead[0]!;
      log.warn({ partition, count: dead.length, first: { offset, reason } }, 'dead-lettered');
    }

    await send(out);
    await Promise.all(acks.map(([dropId, seq]) => decider!.ack(dropId, seq)));
    log.debug(
      {
        partition,
        messages: messages.length,
        drops: groups.length,
        decisions: out.length - dead.length,
        ms: Math.round(performance.now() - t0),
      },
      'decided chunk',
    );
  }

  async function eachBatch(p: EachBatchPayload): Promise<void> {
    const { topic, partition } = p.batch;
    for (const messages of chunk(p.batch.messages, batchMax)) {
      if (!p.isRunning() || p.isStale()) return;
      await decideChunk(topic, partition, messages);
      p.resolveOffset(messages[messages.length - 1]!.offset);
      await p.commitOffsetsIfNecessary();
      await p.heartbeat();
    }
  }

  return {
    async start() {
      decider = await createDecider(o.redis, { sweepMax: batchMax });
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic: topics.intents, fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: o.concurrency ?? 4,
        autoCommitThreshold: 1, // commitOffsetsIfNecessary commits every chunk
        eachBatch: (p) =>
          eachBatch(p).catch((err: unknown) => {
            log.error({ err, partition: p.batch.partition }, 'batch failed; kafkajs retries it');
            throw err;
          }),
      });
      log.info({ topics, batchMax }, 'sequencer started');
    },
    stop() {
      stopping ??= (async () => {
        await consumer.disconnect();
        await producer.disconnect();
        log.info('sequencer stopped');
      })();
      return stopping;
    },
  };
}
