import type { ConsumerConfig, KafkaMessage, Producer } from 'kafkajs';
import { topics } from '../contracts/index.ts';
import { createOutboxRelay } from '../platform/outbox.ts';
import type { Runtime } from '../platform/runtime.ts';
import type { Closer } from '../platform/shutdown.ts';
import { parseProductEvent, scopesOf } from './events.ts';
import type { ProductChange } from './search.ts';
import type { Catalog } from './service.ts';

export interface CatalogIndexerOptions {
  catalog: Pick<Catalog, 'engine' | 'pages' | 'cache'>;
  /** Default `product.events`; tests use their own. */
  topic?: string;
  /** Default `catalog-indexer`. */
  groupId?: string;
  /** Default `dead.letters`. */
  deadLetterTopic?: string;
  /** Relay the outbox rows of `topic` from this process too (default true), so the catalog works on its own. */
  relay?: boolean;
  relayIntervalMs?: number;
  consumer?: Partial<Omit<ConsumerConfig, 'groupId'>>;
}

export interface CatalogIndexer {
  /** Resolves once the consumer has joined its group and been handed its partitions. */
  ready: Promise<void>;
  /** Stops the consumer (committing what it finished), then the relay and the producer. */
  closer: Closer;
}

/**
 * Makes product changes visible: the search engine indexes them, then their cached pages are dropped and the
 * search caches that may hold stale answers move on (both after the engine, so no cache can be refilled from an
 * engine that has not seen the change). Idempotent.
 */
export async function applyChanges(catalog: CatalogIndexerOptions['catalog'], changes: readonly ProductChange[]): Promise<void> {
  if (changes.length === 0) return;
  const searchChanged = await catalog.engine.index(changes);
  await Promise.all([
    catalog.pages.invalidate([...new Set(changes.map((c) => c.product_id))]),
    catalog.cache.bump(scopesOf(changes, searchChanged)),
  ]);
}

/**
 * Consumes `product.events` and, per batch: brings the search engine up to date for the products named, drops
 * their cached pages and moves the search caches on; only then commits the offsets (at least once: everything
 * it does is idempotent). Messages that are not product events go to the dead-letter topic with the reason.
 * A failure (database or Redis down) makes kafkajs retry the batch.
 */
export async function startCatalogIndexer(rt: Runtime, o: CatalogIndexerOptions): Promise<CatalogIndexer> {
  const topic = o.topic ?? topics.productEvents.name;
  const groupId = o.groupId ?? 'catalog-indexer';
  const deadLetterTopic = o.deadLetterTopic ?? topics.deadLetters.name;
  const log = rt.logger.child({ component: 'catalog-indexer' });
  const producer: Producer = rt.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const relay = createOutboxRelay({
    sql: rt.sql,
    producer,
    logger: log,
    topics: [topic],
    intervalMs: o.relayIntervalMs,
  });

  const deadLetter = async (partition: number, dead: { message: KafkaMessage; reason: string }[]) => {
    if (dead.length === 0) return;
    for (const d of dead) log.warn({ topic, partition, offset: d.message.offset, reason: d.reason }, 'product event dead-lettered');
    await producer.send({
      topic: deadLetterTopic,
      acks: -1,
      messages: dead.map((d) => ({
        key: d.message.key,
        value: JSON.stringify({
          source: { topic, partition, offset: d.message.offset, consumer: groupId },
          reason: d.reason,
          value: d.message.value?.toString('utf8') ?? null,
          at: Date.now(),
        }),
      })),
    });
  };

  const consumer = rt.kafka.consumer({ groupId, ...o.consumer });
  let joined!: () => void;
  const ready = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  consumer.on(consumer.events.CRASH, (e) =>
    log.error({ err: e.payload.error, restart: e.payload.restart }, 'catalog indexer crashed'),
  );
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async (b) => {
      const { batch } = b;
      if (!b.isRunning() || b.isStale() || batch.messages.length === 0) return;
      const changes: ProductChange[] = [];
      const dead: { message: KafkaMessage; reason: string }[] = [];
      for (const message of batch.messages) {
        const parsed = parseProductEvent(message.value);
        if (parsed.ok) changes.push(parsed.change);
        else dead.push({ message, reason: parsed.reason });
      }
      await applyChanges(o.catalog, changes);
      await deadLetter(batch.partition, dead);
      b.resolveOffset(batch.lastOffset());
      await b.commitOffsetsIfNecessary();
      await b.heartbeat();
    },
  });
  if (o.relay ?? true) relay.start();

  const close = async () => {
    await consumer.disconnect();
    await relay.stop();
    await producer.disconnect();
  };
  return { ready, closer: { name: 'catalog-indexer', close } };
}
