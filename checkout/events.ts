import { z } from 'zod';

/** Days from order to estimated delivery. */
export const DELIVERY_DAYS = 5;
const DAY_MS = 86_400_000;

/**
 * Messages on `order.events` (key: order id), written to the outbox in the transaction that makes the change.
 * Belongs in contracts/ once other components consume it.
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

interface OrderFacts {
  order_id: string;
  user_id: string;
  total_cents: number;
  currency: string;
}

/** The `order.events` message announcing `type` for an order; validated, so a bad one is never written. */
export function orderEventFor(type: OrderEvent['type'], o: OrderFacts, at: number): OrderEvent {
  const base = { v: 1 as const, order_id: o.order_id, user_id: o.user_id, currency: o.currency, at };
  return orderEvent.parse(
    type === 'order.refunded'
      ? { ...base, type, amount_cents: o.total_cents }
      : { ...base, type, total_cents: o.total_cents },
  );
}

/** The estimated delivery date (UTC, `YYYY-MM-DD`) of an order placed at `now`. */
export const estimatedDelivery = (now: number): string =>
  new Date(now + DELIVERY_DAYS * DAY_MS).toISOString().slice(0, 10);
