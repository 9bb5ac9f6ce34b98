import type { Producer } from 'kafkajs';
import { groupBy } from './batch.ts';
import type { Sql } from './clients.ts';
import type { Logger } from './logger.ts';
import { startLoop, type Loop } from './loop.ts';
import { outboxLag } from './metrics.ts';

export interface OutboxRelayOptions {
  sql: Sql;
  producer: Producer;
  logger: Logger;
  /** Pause between polls when the outbox is drained. Default 200 ms. */
  intervalMs?: number;
  /** Rows per transaction. Default 200. */
  batchSize?: number;
  /** Relay only rows for these topics (a component that relays its own events); default every row. */
  topics?: readonly string[];
  /** How long the rows of a topic Kafka refused wait before they are tried again. Default 5,000 ms. */
  restMs?: number;
}

export interface OutboxRelay {
  /** Publishes one batch; resolves with the number of rows published. */
  relayOnce(): Promise<number>;
  /** Polls until the loop is stopped: batch after batch while rows wait, then every `intervalMs`. */
  start(): Loop;
}

interface Row {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  /** Seconds the row has waited. */
  age: number;
}

/**
 * Publishes `outbox` rows to Kafka, oldest first, and marks them published. At-least-once: a row is marked only
 * after Kafka acknowledged it, in the transaction that locked it, so a crash republishes rather than loses.
 * Several relays may run at once (rows are taken with `for update skip locked`, so each goes to one relay); order
 * by id holds per topic within a batch, and across batches of one relay. Each topic's rows are sent on their own:
 * rows of a topic Kafka refuses (deleted, not created yet, its partitions unavailable) stay unpublished and are
 * left out for `restMs`, so they hold up no other topic, then tried again, oldest first.
 */
export function createOutboxRelay(o: OutboxRelayOptions): OutboxRelay {
  const intervalMs = o.intervalMs ?? 200;
  const batchSize = o.batchSize ?? 200;
  const restMs = o.restMs ?? 5_000;
  const only = o.topics === undefined ? null : [...o.topics];
  /** Topics whose rows Kafka refused, and until when they are left out. */
  const resting = new Map<string, number>();

  const relayOnce = () =>
    o.sql.begin(async (tx) => {
      const now = Date.now();
      for (const [topic, until] of resting) if (until <= now) resting.delete(topic);
      const left = [...resting.keys()];
      const rows = await tx<Row[]>`
        select id::text as id, topic, key, payload, extract(epoch from now() - created_at)::float8 as age from outbox
        where published_at is null and (${only === null} or topic = any(${only ?? []}::text[])) and topic <> all(${left}::text[])
        order by outbox.id limit ${batchSize}
        for update skip locked`;
      const [waiting] =
        left.length === 0
          ? []
          : await tx<{ age: number | null }[]>`
              select extract(epoch from now() - min(created_at))::float8 as age from outbox
              where published_at is null and topic = any(${left}::text[])`;
      outboxLag.set(Math.max(rows[0]?.age ?? 0, waiting?.age ?? 0));
      if (rows.length === 0) return 0;
      const byTopic = [...groupBy(rows, (r) => r.topic)];
      const sends = await Promise.allSettled(
        byTopic.map(([topic, list]) =>
          o.producer.send({ topic, acks: -1, messages: list.map((r) => ({ key: r.key, value: JSON.stringify(r.payload) })) }),
        ),
      );
      const published: string[] = [];
      let refusal: unknown;
      sends.forEach((sent, i) => {
        const [topic, list] = byTopic[i]!;
        if (sent.status === 'fulfilled') return void published.push(...list.map((r) => r.id));
        refusal = sent.reason;
        resting.set(topic, Date.now() + restMs);
        o.logger.warn({ topic, rows: list.length, err: sent.reason }, 'outbox rows refused by Kafka; tried again later');
      });
      if (published.length === 0) throw refusal;
      await tx`update outbox set published_at = now() where id = any(${published}::bigint[])`;
      return published.length;
    });

  return {
    relayOnce,
    start: () => startLoop('outbox relay', intervalMs, async () => (await relayOnce()) === batchSize, o.logger),
  };
}
