import { randomBytes } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { deadLetter, parseMessageValue, type DeadLetter } from '../contracts/index.ts';
import type { Sql } from './clients.ts';

/** A message of the dead-letter topic: where it sits, what it says, and when an operator replayed it. */
export interface StoredDeadLetter {
  partition: number;
  offset: number;
  key: Buffer | null;
  /** The record, or why the message is not one. */
  letter: { ok: true; value: DeadLetter } | { ok: false; reason: string };
  replayed_at: Date | null;
}

/**
 * Every message on the dead-letter topic up to its end when called, in partition and offset order, each with when
 * it was replayed (dead_letter_replays). Reads with a group of its own that commits nothing.
 */
export async function readDeadLetters(kafka: Kafka, sql: Sql, topic: string, timeoutMs = 30_000): Promise<StoredDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const left = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
  const found: Omit<StoredDeadLetter, 'replayed_at'>[] = [];
  if (left.size > 0) {
    const consumer = kafka.consumer({ groupId: `dead-letters-reader-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`dead letters of ${topic} not read within ${timeoutMs} ms`)), timeoutMs);
        void consumer
          .run({
            autoCommit: false,
            eachMessage: ({ partition, message }) => {
              const offset = Number(message.offset);
              const end = left.get(partition);
              if (end !== undefined && offset < end) {
                found.push({ partition, offset, key: message.key, letter: parseMessageValue(message.value, deadLetter, 'a dead letter') });
                if (offset + 1 >= end) left.delete(partition);
              }
              if (left.size === 0) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }
  const replays = await sql<{ partition: number; offset: string; replayed_at: Date }[]>`
    select partition, "offset"::text as offset, replayed_at from dead_letter_replays where topic = ${topic}`;
  const when = new Map(replays.map((r) => [`${r.partition}:${r.offset}`, r.replayed_at]));
  return found
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
    .map((f) => ({ ...f, replayed_at: when.get(`${f.partition}:${f.offset}`) ?? null }));
}

/** The dead letters a replay sends: readable, not replayed before, with a value, of `consumer` when one is named. */
export const toReplay = (letters: readonly StoredDeadLetter[], consumer?: string): (StoredDeadLetter & { letter: { ok: true } })[] =>
  letters.filter(
    (l): l is StoredDeadLetter & { letter: { ok: true; value: DeadLetter } } =>
      l.letter.ok && l.replayed_at === null && l.letter.value.value !== null && (consumer === undefined || l.letter.value.source.consumer === consumer),
  );

/**
 * Sends each dead letter `toReplay` picks back to where it came from (its topic and partition, its key and value),
 * then records it replayed, so a later replay skips it; a replay cut short between the two sends that letter once
 * more, which the platform's consumers, idempotent by event, take as a redelivery. Answers the letters sent.
 */
export async function replayDeadLetters(o: {
  kafka: Kafka;
  producer: Producer;
  sql: Sql;
  topic: string;
  consumer?: string;
}): Promise<StoredDeadLetter[]> {
  const due = toReplay(await readDeadLetters(o.kafka, o.sql, o.topic), o.consumer);
  for (const d of due) {
    const { source, value } = d.letter.value;
    await o.producer.send({ topic: source.topic, acks: -1, messages: [{ partition: source.partition, key: d.key, value }] });
    await o.sql`insert into dead_letter_replays (topic, partition, "offset") values (${o.topic}, ${d.partition}, ${d.offset})
                on conflict do nothing`;
  }
  return due;
}
