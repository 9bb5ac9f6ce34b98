import { z } from 'zod';
import { amountCents, currency } from '../contracts/index.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const productBody = z.strictObject({
  sku: text(64).regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, dot, dash and underscore'),
  title: text(300),
  price_cents: amountCents,
  currency,
  brand: text(100).optional(),
  category_path: z.array(text(100)).max(6).optional(),
  description: z.string().max(10_000).optional(),
});
export type ProductInput = z.infer<typeof productBody>;

export const warehouseBody = z.strictObject({ name: text(100), region: text(100) });
export type WarehouseInput = z.infer<typeof warehouseBody>;

export const inventoryBody = z.strictObject({
  product_id: z.uuid(),
  warehouse_id: z.uuid(),
  available_count: z.number().int().min(0).max(100_000_000),
});
export type InventoryInput = z.infer<typeof inventoryBody>;
