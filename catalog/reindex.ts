import { createSql, loadConfig, startOrExit } from '../platform/index.ts';
import { connectSearch } from './es/client.ts';
import { reindexAll } from './es/reindex.ts';
import { progressBar } from './progress.ts';
import { searchAlias } from './service.ts';
import { loadSynonyms } from './synonyms.ts';

/**
 * `npm run catalog:reindex`: rebuilds the Elasticsearch/OpenSearch catalog index at SEARCH_URL behind its alias
 * (SEARCH_INDEX, default <database>-products) from PostgreSQL, with no downtime (see `reindexAll`). Run it after
 * `npm run seed:catalog` or a synonyms change when SEARCH_ENGINE=elasticsearch.
 */
const config = await startOrExit(loadConfig);
const sql = createSql({ ...config, DATABASE_POOL_MAX: 2 });
const client = await connectSearch(config.SEARCH_URL, 120_000);
const alias = searchAlias(config);
let bar: ReturnType<typeof progressBar> | undefined;
let last = 0;
const started = performance.now();
try {
  const { index, count } = await reindexAll({
    client,
    sql,
    alias,
    synonyms: await loadSynonyms(config.CATALOG_SYNONYMS_FILE),
    onProgress: (indexed, total) => {
      bar ??= progressBar('index', total);
      bar.tick(indexed - last);
      last = indexed;
    },
  });
  bar?.finish();
  const secs = (performance.now() - started) / 1000;
  const stats = await client.indices.stats({ index, metric: ['store'] });
  const bytes = stats._all.primaries?.store?.size_in_bytes ?? 0;
  console.log(`\ncatalog:reindex — ${count.toLocaleString('en-US')} products into ${index} (alias ${alias}) at ${config.SEARCH_URL}`);
  console.log(`  ${secs.toFixed(1)} s, ${Math.round(count / secs).toLocaleString('en-US')} products/s, index ${(bytes / 2 ** 20).toFixed(0)} MB`);
} finally {
  await client.close();
  await sql.end();
}
