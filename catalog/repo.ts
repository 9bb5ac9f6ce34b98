import { newId } from '../contracts/index.ts';
import { AppError, type Sql } from '../platform/index.ts';
import type { InventoryInput, ProductInput, ProductPatch, WarehouseInput } from './schemas.ts';

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
const isForeignKeyViolation = (err: unknown) => (err as { code?: string }).code === '23503';

/**
 * Products, warehouses and stock: the catalog's source of truth in PostgreSQL. Every change to a product or its
 * stock is announced on `product.events` through the outbox by database triggers (migration 0004), in the same
 * transaction, so changes made elsewhere (drops, settlement) are announced too.
 */
export function createCatalogRepo(sql: Sql) {
  return {
    /** Creates a product; a SKU already used is a conflict. */
    async createProduct(p: ProductInput): Promise<string> {
      const product_id = newId();
      try {
        await sql`insert into products (product_id, sku, title, description, category_path, price_cents, currency, brand,
                                        images, attributes)
                  values (${product_id}, ${p.sku}, ${p.title}, ${p.description ?? ''}, ${p.category_path ?? []},
                          ${p.price_cents}, ${p.currency}, ${p.brand ?? null},
                          ${sql.json(p.images ?? [])}, ${sql.json(p.attributes ?? {})})`;
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `a product with SKU ${p.sku} already exists`);
        throw err;
      }
      return product_id;
    },

    /** Changes the given fields of a product; unknown product is not_found, a SKU already used a conflict. */
    async updateProduct(product_id: string, patch: ProductPatch): Promise<void> {
      const { images, attributes, ...plain } = patch;
      const row: Record<string, unknown> = { ...plain };
      if (images !== undefined) row.images = sql.json(images);
      if (attributes !== undefined) row.attributes = sql.json(attributes);
      try {
        const updated = await sql`update products set ${sql(row)}, updated_at = now()
                                  where product_id = ${product_id} returning 1`;
        if (updated.length === 0) throw new AppError('not_found', `no product ${product_id}`);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `a product with SKU ${patch.sku} already exists`);
        throw err;
      }
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

    /** Every warehouse, by name. */
    listWarehouses() {
      return sql<{ warehouse_id: string; name: string; region: string }[]>`
        select warehouse_id, name, region from warehouses order by name, warehouse_id`;
    },

    /** Sets the units on hand for sale in one warehouse; units reserved by checkouts are kept apart. */
    async setInventory(i: InventoryInput): Promise<{ available_count: number; reserved_count: number }> {
      try {
        const [row] = await sql<{ available_count: number; reserved_count: number }[]>`
          insert into inventory (product_id, warehouse_id, available_count)
          values (${i.product_id}, ${i.warehouse_id}, ${i.available_count})
          on conflict (product_id, warehouse_id)
            do update set available_count = excluded.available_count, updated_at = now()
          returning available_count, reserved_count`;
        return row!;
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new AppError('not_found', 'no such product or warehouse');
        throw err;
      }
    },
  };
}

export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
