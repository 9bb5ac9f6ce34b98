import { connectionClosers, createRuntime, loadConfig, metricsClosers, onShutdown, prepareTopics, startOrExit } from '../platform/index.ts';
import { startCatalogIndexer } from './indexer.ts';
import { createCatalog } from './service.ts';

/** `npm run catalog-indexer`: the catalog indexer alone (migrations are `npm run migrate`). */
const rt = createRuntime(await startOrExit(loadConfig), 'catalog-indexer');
await prepareTopics(rt);
const catalog = await createCatalog(rt);
const indexer = await startCatalogIndexer(rt, { catalog });
const metrics = await metricsClosers(rt.config, rt.logger);
onShutdown(
  [...metrics, indexer.closer, { name: 'catalog', close: () => catalog.close() }, ...connectionClosers(rt)],
  rt.logger,
  rt.config.SHUTDOWN_TIMEOUT_MS,
);
await indexer.ready;
rt.logger.info('catalog indexer running');
