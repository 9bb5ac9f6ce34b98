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

/** The estimated delivery date (UTC, `YYYY-MM-DD`) of an order placed at `now`. */
export const estimatedDelivery = (now: number): string =>
  new Date(now + DELIVERY_DAYS * DAY_MS).toISOString().slice(0, 10);
