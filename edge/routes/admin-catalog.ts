import { Hono } from 'hono';
import { inventoryBody, productBody, warehouseBody, type CatalogRepo } from '../../catalog/index.ts';
import type { EdgeEnv } from '../env.ts';
import { jsonBody } from '../validate.ts';

/** Admin routes of the catalog: products, warehouses, stock. The caller mounts them behind the admin role. */
export const adminCatalogRoutes = (catalog: CatalogRepo) =>
  new Hono<EdgeEnv>()
    .post('/products', async (c) => c.json({ product_id: await catalog.createProduct(await jsonBody(c, productBody)) }, 201))
    .get('/warehouses', async (c) => c.json({ warehouses: await catalog.listWarehouses() }))
    .post('/warehouses', async (c) =>
      c.json({ warehouse_id: await catalog.createWarehouse(await jsonBody(c, warehouseBody)) }, 201),
    )
    .put('/inventory', async (c) => {
      const body = await jsonBody(c, inventoryBody);
      return c.json({ product_id: body.product_id, warehouse_id: body.warehouse_id, ...(await catalog.setInventory(body)) });
    });
