import { newId, topics } from '../contracts/index.ts';
import type { Sql, Tx } from '../platform/clients.ts';
import { AppError } from '../platform/errors.ts';
import type { InventoryInput, ProductInput, WarehouseInput } from './schemas.ts';

/** Announces a product change on `product.events` through the outbox, in the caller's transaction. */
const productEvent = (tx: Tx, product_id: string, type: 'product.created' | 'product.stock_changed') =>
  tx`insert into outbox (topic, key, payload)
     values (${topics.productEvents.name}, ${product_id},
             ${tx.json({ type, v: 1, id: newId(), product_id, at: Date.now() })})`;

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
const isForeignKeyViolation = (err: unknown) => (err as { code?: string }).code === '23503';

/** Products, warehouses and stock: the catalog's source of truth in PostgreSQL. */
export function createCatalogRepo(sql: Sql) {
  return {
    /** Creates a product; a SKU already used is a conflict. */
    async createProduct(p: ProductInput): Promise<string> {
      const product_id = newId();
      try {
        await sql.begin(async (tx) => {
          await tx`insert into products (product_id, sku, title, description, category_path, price_cents, currency, brand)
                   values (${product_id}, ${p.sku}, ${p.title}, ${p.description ?? ''}, ${p.category_path ?? []},
                           ${p.price_cents}, ${p.currency}, ${p.brand ?? null})`;
          await productEvent(tx, product_id, 'product.created');
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `a product with SKU ${p.sku} already exists`);
        throw err;
      }
      return product_id;
    },

    async createWarehouse(w: WarehouseInput): Promise<string> {
      const warehouse_id = newId();
      try {
        await sql`insert into warehouses (warehouse_id, name, region) values (${warehouse_id}, ${w.name}, ${w.region})`;
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `a warehouse named ${w.name} already exists`);
        throw err;
      }
      return warehouse_id;
    },

    /** Sets the units on hand for sale in one warehouse; units reserved by checkouts are kept apart. */
    async setInventory(i: InventoryInput): Promise<{ available_count: number; reserved_count: number }> {
      try {
        return await sql.begin(async (tx) => {
          const [row] = await tx<{ available_count: number; reserved_count: number }[]>`
            insert into inventory (product_id, warehouse_id, available_count)
            values (${i.product_id}, ${i.warehouse_id}, ${i.available_count})
            on conflict (product_id, warehouse_id)
              do update set available_count = excluded.available_count, updated_at = now()
            returning available_count, reserved_count`;
          await productEvent(tx, i.product_id, 'product.stock_changed');
          return row!;
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new AppError('not_found', 'no such product or warehouse');
        throw err;
      }
    },
  };
}

export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
