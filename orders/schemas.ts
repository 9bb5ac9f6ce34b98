import { z } from 'zod';
import { orderStatuses } from './transitions.ts';

/** `GET /me/orders` query: an optional status, a cursor from an earlier page, and a page size of 1 to 100 (20). */
export const historyQuery = z.strictObject({
  status: z.enum(orderStatuses).optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** `POST /orders/{id}/returns` body: a line per product, each product once. */
export const returnBody = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        product_id: z.uuid().transform((s) => s.toLowerCase()),
        quantity: z.number().int().min(1).max(10_000),
        reason: z.string().trim().min(1).max(500),
      }),
    )
    .min(1)
    .max(100)
    .superRefine((lines, ctx) => {
      const seen = new Set<string>();
      lines.forEach((l, i) => {
        if (seen.has(l.product_id)) ctx.addIssue({ code: 'custom', path: [i, 'product_id'], message: 'appears in another line already' });
        seen.add(l.product_id);
      });
    }),
});
