export type { CatalogRepo } from './repo.ts';
export { inventoryBody, productBody, productPatchBody, warehouseBody } from './schemas.ts';
export { cachePrefix, createCatalog, searchAlias, type Catalog, type Storefront } from './service.ts';
export { connectSearch } from './es/client.ts';
export { reindexAll } from './es/reindex.ts';
export { applyChanges, startCatalogIndexer, type CatalogIndexer, type CatalogIndexerOptions } from './indexer.ts';
export { parseAutocompleteParams, parseSearchParams } from './search-params.ts';
export type { SearchEngine, SearchQuery, SearchResult, Suggestion } from './search.ts';
export type { CategoryNode } from './categories.ts';
