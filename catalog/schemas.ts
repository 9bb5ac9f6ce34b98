import { z } from 'zod';
import { amountCents, currency } from '../contracts/index.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

const productFields = {
  sku: text(64).regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, dot, dash and underscore'),
  title: text(300),
  price_cents: amountCents,
  currency,
  brand: text(100).optional(),
  category_path: z.array(text(100)).max(6).optional(),
  description: z.string().max(10_000).optional(),
  /** Image URLs, the first is the one search results show. */
  images: z.array(z.url().max(2_000)).max(20).optional(),
  /** Free-form attributes shown on the product page (colour, size, model…). */
  attributes: z.record(z.string().max(100), z.union([z.string().max(1_000), z.number(), z.boolean()])).optional(),
};

export const productBody = z.strictObject(productFields);
export type ProductInput = z.infer<typeof productBody>;

/** A partial update: any product field; `brand: null` removes the brand. At least one field. */
export const productPatchBody = z
  .strictObject({
    ...productFields,
    brand: text(100).nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'name at least one field to change');
export type ProductPatch = z.infer<typeof productPatchBody>;

export const warehouseBody = z.strictObject({ name: text(100), region: text(100) });
export type WarehouseInput = z.infer<typeof warehouseBody>;

export const inventoryBody = z.strictObject({
  product_id: z.uuid(),
  warehouse_id: z.uuid(),
  available_count: z.number().int().min(0).max(100_000_000),
});
export type InventoryInput = z.infer<typeof inventoryBody>;
