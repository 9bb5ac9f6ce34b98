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
 * by id holds within a batch, and across batches of one relay.
 */
export function createOutboxRelay(o: OutboxRelayOptions): OutboxRelay {
  const intervalMs = o.intervalMs ?? 200;
  const batchSize = o.batchSize ?? 200;
  const only = o.topics === undefined ? null : [...o.topics];

  const relayOnce = () =>
    o.sql.begin(async (tx) => {
      const rows = await tx<Row[]>`
        select id::text as id, topic, key, payload, extract(epoch from now() - created_at)::float8 as age from outbox
        where published_at is null and (${only === null} or topic = any(${only ?? []}::text[]))
        order by outbox.id limit ${batchSize}
        for update skip locked`;
      outboxLag.set(rows[0]?.age ?? 0);
      if (rows.length === 0) return 0;
      await o.producer.sendBatch({
        acks: -1,
        topicMessages: [...groupBy(rows, (r) => r.topic)].map(([topic, list]) => ({
          topic,
          messages: list.map((r) => ({ key: r.key, value: JSON.stringify(r.payload) })),
        })),
      });
      await tx`update outbox set published_at = now() where id = any(${rows.map((r) => r.id)}::bigint[])`;
      return rows.length;
    });

  return {
    relayOnce,
    start: () => startLoop('outbox relay', intervalMs, async () => (await relayOnce()) === batchSize, o.logger),
  };
}
