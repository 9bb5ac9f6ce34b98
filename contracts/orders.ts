import { z } from 'zod';

/**
 * Messages on `order.events` (key: order id), written to the outbox in the transaction that makes the change.
 */
export const orderEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['order.created', 'order.confirmed']),
    v: z.literal(1),
    order_id: z.uuid(),
    user_id: z.uuid(),
    total_cents: z.number().int().min(0),
    currency: z.string().length(3),
    at: z.number().int(),
  }),
  z.object({
    type: z.literal('order.refunded'),
    v: z.literal(1),
    order_id: z.uuid(),
    user_id: z.uuid(),
    amount_cents: z.number().int().min(0),
    currency: z.string().length(3),
    at: z.number().int(),
  }),
]);
export type OrderEvent = z.infer<typeof orderEvent>;
