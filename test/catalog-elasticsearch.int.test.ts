import { Client } from '@elastic/elasticsearch';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchSearch } from '../catalog/es/engine.ts';
import { connectSearch, createCatalog, parseSearchParams, reindexAll, searchAlias, type Catalog } from '../catalog/index.ts';
import { parseSynonyms } from '../catalog/synonyms.ts';
import { addProducts, dropSearchIndex, engineRuntime, ENGINES, word } from './catalog-fixtures.ts';
import { testRuntime } from './helpers.ts';

const base = testRuntime();
const rt = engineRuntime(base, 'elasticsearch');
const available = (await ENGINES).find((e) => e.engine === 'elasticsearch')!.available;
let catalog: Catalog;
beforeAll(async () => {
  if (available) catalog = await createCatalog(rt);
});
afterAll(async () => {
  await catalog?.close();
  await dropSearchIndex(rt);
  await base.redis.quit();
  await base.sql.end();
});

describe('elasticsearch engine down', () => {
  it('answers searches with an unavailable error, which the edge turns into 503', async () => {
    const dead = new Client({ node: 'http://127.0.0.1:1', maxRetries: 0, requestTimeout: 1_000 });
    const engine = createElasticsearchSearch({ client: dead, alias: 'nowhere', sql: rt.sql, timeoutMs: 500 });
    await expect(engine.search(parseSearchParams({ q: ['lamp'] }))).rejects.toMatchObject({ kind: 'unavailable', retriable: true });
    await expect(engine.autocomplete('la', 5)).rejects.toMatchObject({ kind: 'unavailable' });
    await dead.close();
  });
});

describe('elasticsearch engine too slow', () => {
  it('sends its timeout with every search and refuses an answer the engine cut short', async () => {
    // An engine that always says it stopped at the timeout (a partial answer), and records what it was asked.
    const asked: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        asked.push(`${req.url} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(JSON.stringify({ took: 750, timed_out: true, hits: { total: { value: 0 }, hits: [] } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const slow = new Client({ node: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxRetries: 0 });
    const engine = createElasticsearchSearch({ client: slow, alias: 'slow', sql: rt.sql, timeoutMs: 750 });
    const tooSlow = { kind: 'unavailable', details: { retry_after: 1 } };
    await expect(engine.search(parseSearchParams({ q: ['lamp'] }))).rejects.toMatchObject(tooSlow);
    await expect(engine.search(parseSearchParams({}))).rejects.toMatchObject(tooSlow);
    await expect(engine.autocomplete('la', 5)).rejects.toMatchObject(tooSlow);
    expect(asked).toHaveLength(3);
    for (const request of asked) expect(request).toMatch(/timeout=750ms|"timeout":"750ms"/);
    await slow.close();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe.skipIf(!available)('full reindex of the elasticsearch engine', () => {
  it('rebuilds the index behind the alias while searches keep answering', async () => {
    const w = word();
    const [id] = await addProducts(rt, catalog, [{ title: `${w} reindexed lamp` }]);
    const client = await connectSearch(rt.config.SEARCH_URL);
    const alias = searchAlias(rt.config);
    const before = Object.keys(await client.indices.getAlias({ name: alias }));
    let done = false;
    const rebuilt = reindexAll({ client, sql: rt.sql, alias, synonyms: parseSynonyms('') }).finally(() => (done = true));
    // Straight to the engine, past the result cache.
    const query = parseSearchParams({ q: [`${w} lamp`] });
    let searches = 0;
    while (!done) {
      expect((await catalog.engine.search(query)).products.map((p) => p.product_id)).toEqual([id]);
      searches++;
    }
    const { index, count } = await rebuilt;
    expect(count).toBeGreaterThan(0);
    expect(Object.keys(await client.indices.getAlias({ name: alias }))).toEqual([index]);
    expect(await client.indices.exists({ index: before })).toBe(false);
    expect((await catalog.engine.search(query)).products.map((p) => p.product_id)).toEqual([id]);
    expect(searches).toBeGreaterThan(0);
    await client.close();
  });
});
