import { runAlone } from '../platform/index.ts';
import { startCatalogIndexer } from './indexer.ts';
import { createCatalog } from './service.ts';

/** `npm run catalog-indexer`: the catalog indexer alone (migrations are `npm run migrate`). */
await runAlone('catalog indexer', async (rt) => {
  const catalog = await createCatalog(rt);
  const indexer = await startCatalogIndexer(rt, { catalog });
  return { closers: [indexer.closer, { name: 'catalog', close: () => catalog.close() }], ready: indexer.ready };
});
