import { z } from 'zod';
import { newId } from './ids.ts';
import { amountCents, currency } from './money.ts';

/** Every status an order can be in; orders/transitions.ts says which moves are allowed. */
export const orderStatuses = [
  'placed',
  'paid',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
  'partially_returned',
  'returned',
  'refunded',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

const id = z.uuid();
const base = {
  v: z.literal(2),
  /** The event's own id: a consumer does the work of an event once, however often it is delivered. */
  event_id: id,
  order_id: id,
  user_id: id,
  /** Epoch ms. */
  at: z.number().int(),
};
const money = { amount_cents: amountCents, currency };
const line = z.object({
  product_id: id,
  sku: z.string().min(1),
  title: z.string().min(1),
  quantity: z.number().int().min(1),
  unit_price_cents: amountCents,
  warehouse_id: id.nullable(),
});
const returnLine = z.object({ product_id: id, quantity: z.number().int().min(1), reason: z.string().min(1) });

/**
 * Messages on `order.events` (key: order id), written to the outbox in the transaction that makes the change:
 * an order placed (from a drop or a cart) and paid, cancelled before it ships, its shipments leaving and
 * arriving, returns asked for and received, money given back.
 */
export const orderEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('order.placed'),
    ...base,
    source: z.enum(['drop', 'cart']),
    currency,
    subtotal_cents: amountCents,
    shipping_cents: amountCents,
    tax_cents: amountCents,
    total_cents: amountCents,
    items: z.array(line).min(1),
  }),
  z.object({ type: z.literal('order.paid'), ...base, ...money }),
  z.object({ type: z.literal('order.cancelled'), ...base, reason: z.string().min(1), refund: z.object(money) }),
  z.object({
    type: z.enum(['shipment.created', 'shipment.shipped', 'shipment.delivered']),
    ...base,
    shipment_id: id,
    warehouse_id: id,
    carrier: z.string().min(1),
    tracking_number: z.string().min(1),
    tracking_url: z.url(),
  }),
  z.object({ type: z.literal('return.requested'), ...base, return_id: id, lines: z.array(returnLine).min(1) }),
  z.object({
    type: z.literal('return.received'),
    ...base,
    return_id: id,
    lines: z.array(returnLine).min(1),
    refund: z.object(money),
  }),
  z.object({ type: z.literal('order.refunded'), ...base, refund_id: id, reason: z.string().min(1), ...money }),
]);
export type OrderEvent = z.infer<typeof orderEvent>;
export type OrderEventType = OrderEvent['type'];

/** An order event as its producer states it: everything but the version and the event's id. */
export type OrderEventInput = OrderEvent extends infer E ? (E extends OrderEvent ? Omit<E, 'v' | 'event_id'> : never) : never;

/** The event with its version and a new id, validated: a bad event is never written. */
export const newOrderEvent = (e: OrderEventInput): OrderEvent => orderEvent.parse({ ...e, v: 2, event_id: newId(e.at) });
