import type { ConsumerConfig, Producer } from 'kafkajs';
import { topics } from '../contracts/index.ts';
import { createOutboxRelay, reliableProducer, startBatchConsumer, type Closer, type Runtime } from '../platform/index.ts';
import { parseProductEvent, scopesOf } from './events.ts';
import type { ProductChange } from './search.ts';
import type { Catalog } from './service.ts';

export interface CatalogIndexerOptions {
  catalog: Pick<Catalog, 'engine' | 'pages' | 'cache'>;
  /** Default `product.events`. */
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
 * Consumes `product.events` (platform/consumer.ts) and, per batch: brings the search engine up to date for the
 * products named, drops their cached pages and moves the search caches on; only then commits the offsets (at
 * least once: everything it does is idempotent). Messages that are not product events are dead-lettered.
 */
export async function startCatalogIndexer(rt: Runtime, o: CatalogIndexerOptions): Promise<CatalogIndexer> {
  const topic = o.topic ?? topics.productEvents.name;
  const groupId = o.groupId ?? 'catalog-indexer';
  const deadLetterTopic = o.deadLetterTopic ?? topics.deadLetters.name;
  const log = rt.logger.child({ component: 'catalog-indexer' });
  const producer: Producer = reliableProducer(rt.kafka);
  await producer.connect();
  const relay = createOutboxRelay({
    sql: rt.sql,
    producer,
    logger: log,
    topics: [topic],
    intervalMs: o.relayIntervalMs,
  });

  const consumer = await startBatchConsumer({
    kafka: rt.kafka,
    producer,
    logger: log,
    topic,
    groupId,
    deadLetterTopic,
    parse: parseProductEvent,
    handle: (changes) => applyChanges(o.catalog, changes),
    consumer: o.consumer,
  });
  const relaying = o.relay ?? true ? relay.start() : undefined;

  const close = async () => {
    await consumer.stop();
    await relaying?.stop();
    await producer.disconnect();
  };
  return { ready: consumer.ready, closer: { name: 'catalog-indexer', close } };
}
