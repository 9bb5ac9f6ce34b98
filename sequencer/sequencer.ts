import type { Redis } from 'ioredis';
import { type ConsumerConfig, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';
import { deadLetterOf, topics as platformTopics, type DeadLetter } from '../contracts/index.ts';
import { consumerDefaults, consumerLag, decisionsMade, groupBy, keyedPartitioner, type Logger } from '../platform/index.ts';
import { chunk, groupByDrop, parseMessage, splitBySize, statusCounts, type RawMessage } from './messages.ts';
import type { SequencedCommand } from './protocol.ts';
import { createDecider, type Decider } from './script.ts';

/** The topics a sequencer reads and writes; each defaults to contracts/topics.ts. */
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

/**
 * Most bytes of message values in one produce request: with ~50 bytes of record framing per message (values
 * are 230 bytes or more) a batch stays under the broker's 1 MiB, and a chunk of 2,000 decisions goes in one
 * request instead of two.
 */
const MAX_SEND_BYTES = 768 * 1024;
/** Partitions decided at the same time; one partition is always decided in order. */
const PARTITIONS_AT_ONCE = 4;

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
  const clock = o.clock ?? Date.now;
  const log = o.logger.child({ component: 'sequencer', groupId });
  // Fetches of many chunks (kafkajs's default is 1 MiB, one chunk of joins): deciding a chunk overlaps with
  // producing the one before only within a fetch, and each fetch starts after the last produce of the one before.
  const consumer = o.kafka.consumer({
    ...consumerDefaults,
    maxBytesPerPartition: 32 << 20,
    maxBytes: 64 << 20,
    ...o.consumer,
    groupId,
    allowAutoTopicCreation: false,
  });
  // One request in flight keeps the idempotent producer's sequence numbers gapless while several
  // partitions produce at once; a drop's decisions all go to the partition of its id.
  const producer = o.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: keyedPartitioner,
  });
  let decider: Decider | undefined;
  let stopping: Promise<void> | undefined;

  async function send(out: Outgoing[]): Promise<void> {
    for (const slice of splitBySize(out, MAX_SEND_BYTES)) {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...groupBy(slice, (o) => o.topic)].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  }

  /** A chunk decided and the work left to do for it: produce, acknowledge, commit. */
  interface Decided {
    out: Outgoing[];
    acks: [string, number][];
    messages: number;
    drops: number;
    dead: number;
    t0: number;
  }

  /**
   * Decides one chunk: each drop's commands in one script call. `known` holds, per drop, the last seq whose
   * decisions are already on their way to Kafka, so they are not returned again.
   */
  async function decideChunk(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    known: Map<string, number>,
  ): Promise<Decided> {
    const t0 = performance.now();
    const now = clock();
    const dead: DeadLetter[] = [];
    const deadLetter = (m: RawMessage, reason: string) =>
      deadLetterOf({ topic, partition, offset: Number(m.offset), consumer: groupId }, reason, m.value, now);
    const commands: SequencedCommand[] = [];
    for (const m of messages) {
      const p = parseMessage(m);
      if (p.ok) commands.push(p.message);
      else dead.push(deadLetter(m, p.reason));
    }

    const groups = [...groupByDrop(commands)];
    const results = await Promise.all(
      groups.map(([dropId, cmds]) =>
        decider!.decide({ dropId, partition, now, commands: cmds, knownSeq: known.get(dropId) ?? 0 }),
      ),
    );

    const out: Outgoing[] = [];
    const acks: [string, number][] = [];
    let byOffset: Map<number, KafkaMessage> | undefined;
    results.forEach((r, i) => {
      const [dropId, cmds] = groups[i]!;
      if (r.ok) {
        for (const value of r.decisions) out.push({ topic: topics.decisions, key: dropId, value });
        // Decisions handed on again after a crash were counted when they were made.
        for (const [status, n] of statusCounts(r.decisions.slice(r.redelivered))) decisionsMade.inc({ status }, n);
        if (r.decisions.length > 0) acks.push([dropId, r.seq]);
        if (r.redelivered > 0) log.warn({ dropId, count: r.redelivered }, 'redelivering pending decisions');
        if (r.calls > 1) {
          log.info({ dropId, calls: r.calls, decisions: r.decisions.length }, 'walked the waitlist in steps');
        }
        return;
      }
      byOffset ??= new Map(messages.map((m) => [Number(m.offset), m]));
      for (const c of cmds) dead.push(deadLetter(byOffset.get(c.offset)!, r.reason));
    });
    for (const d of dead) out.push({ topic: topics.deadLetters, key: null, value: JSON.stringify(d) });
    if (dead.length > 0) {
      const { source, reason } = dead[0]!;
      log.warn({ partition, count: dead.length, first: { offset: source.offset, reason } }, 'dead-lettered');
    }
    for (const [dropId, seq] of acks) known.set(dropId, seq);
    return { out, acks, messages: messages.length, drops: groups.length, dead: dead.length, t0 };
  }

  /** Puts a decided chunk's decisions (and dead letters) on Kafka, then forgets them as pending. */
  async function produceChunk(partition: number, d: Decided): Promise<void> {
    await send(d.out);
    await Promise.all(d.acks.map(([dropId, seq]) => decider!.ack(dropId, seq)));
    log.debug(
      {
        partition,
        messages: d.messages,
        drops: d.drops,
        decisions: d.out.length - d.dead,
        ms: Math.round(performance.now() - d.t0),
      },
      'decided chunk',
    );
  }

  /**
   * Chunk after chunk, the next chunk's script call runs while the previous chunk's decisions are being
   * produced (one produce in flight at most, in log order); a chunk's offset is committed once its decisions
   * are on Kafka. Deciding and producing were each a round trip of tens of milliseconds, one after the other.
   */
  async function eachBatch(p: EachBatchPayload): Promise<void> {
    const { topic, partition } = p.batch;
    const known = new Map<string, number>();
    let inflight: Promise<void> | undefined;
    try {
      for (const messages of chunk(p.batch.messages, batchMax)) {
        if (!p.isRunning() || p.isStale()) break;
        const decided = await decideChunk(topic, partition, messages, known);
        if (inflight) await inflight;
        const last = messages[messages.length - 1]!.offset;
        inflight = (async () => {
          await produceChunk(partition, decided);
          p.resolveOffset(last);
          await p.commitOffsetsIfNecessary();
          await p.heartbeat();
        })();
        inflight.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled meanwhile
      }
    } finally {
      if (inflight) await inflight;
    }
    consumerLag.set({ group: groupId, topic, partition: String(partition) }, Number(p.batch.offsetLag()));
  }

  return {
    async start() {
      decider = await createDecider(o.redis, { sweepMax: batchMax });
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic: topics.intents, fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
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
