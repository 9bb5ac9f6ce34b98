import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startCatalogIndexer } from '../catalog/index.ts';
import { edgeApp } from '../edge/server.ts';
import { createKafka, createRedis, createSql } from '../platform/clients.ts';
import { ensureTopics } from '../platform/kafka.ts';
import type { Runtime } from '../platform/runtime.ts';
import { tag, testRuntime } from './helpers.ts';

// What kafkajs says while the edge and the catalog indexer start, read from the log an operator reads.
const base = testRuntime();
const lines: { level: number; lib?: string; msg: string }[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
    done();
  },
});
const logger = pino({ level: 'warn' }, sink);
const rt: Runtime = {
  config: base.config,
  logger,
  sql: createSql(base.config),
  redis: createRedis(base.config, logger),
  kafka: createKafka(base.config, logger),
};
afterAll(async () => {
  for (const r of [base, rt]) {
    await r.redis.quit();
    await r.sql.end();
  }
});

describe('kafkajs at start-up', () => {
  it('warns of nothing the operator cannot act on', async () => {
    const topic = `test-product-events-${tag()}`;
    const deadLetters = `test-dead-${tag()}`;
    const admin = base.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [
      { name: topic, partitions: 1 },
      { name: deadLetters, partitions: 1 },
    ]);
    const edge = await edgeApp(rt);
    const indexer = await startCatalogIndexer(rt, {
      catalog: edge.services.catalog,
      topic,
      groupId: `test-catalog-indexer-${tag()}`,
      deadLetterTopic: deadLetters,
    });
    await indexer.ready;
    await indexer.closer.close();
    await edge.close();
    await admin.deleteTopics({ topics: [topic, deadLetters] }).catch(() => undefined);
    await admin.disconnect();
    expect(lines.filter((l) => l.lib === 'kafkajs').map((l) => l.msg)).toEqual([]);
  });
});
