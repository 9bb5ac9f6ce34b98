import { orderEvent, type OrderEvent } from '../contracts/index.ts';

/** Days from order to estimated delivery. */
export const DELIVERY_DAYS = 5;
const DAY_MS = 86_400_000;

/** The facts an order event carries. */
export interface OrderFacts {
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
