export { createCatalogRepo, type CatalogRepo } from './repo.ts';
export { inventoryBody, productBody, warehouseBody } from './schemas.ts';
