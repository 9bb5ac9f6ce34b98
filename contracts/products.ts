import { z } from 'zod';

const productEventTypes = ['product.created', 'product.updated', 'product.stock_changed', 'product.deleted'] as const;

/**
 * A `product.events` message (key: product id) as the outbox triggers of migration 0004 write it, whoever
 * changes a product or its stock. Unknown extra fields are allowed (a later version may add some); the type
 * and version must be ones the reader knows.
 */
export const productEvent = z.object({
  type: z.enum(productEventTypes),
  v: z.literal(1),
  id: z.uuid(),
  product_id: z.uuid(),
  at: z.number().int(),
});
export type ProductEvent = z.infer<typeof productEvent>;
