import type { ShippingOption } from '../../platform/index.ts';
import type { LoadedCheckout } from './repo.ts';
import { priceCheckout, type ShippingTables } from './shipping.ts';
import type { CheckoutStatus } from './transitions.ts';
import { destinationOf } from './zones.ts';

/** A checkout as its shopper sees it: every total in minor units of `currency`. */
/** A line as checkouts and their orders answer it: the product, the units, today's price and the line's total. */
export interface LineAnswer {
  product_id: string;
  sku: string;
  title: string;
  quantity: number;
  unit_price_cents: number;
  line_total_cents: number;
}

export interface CheckoutView {
  checkout_id: string;
  status: CheckoutStatus;
  /** ISO time after which the reservation lapses. */
  expires_at: string;
  currency: string;
  lines: (LineAnswer & {
    /** Where the units leave from. */
    allocations: { warehouse_id: string; quantity: number }[];
  })[];
  shipping_address_id: string | null;
  shipping_option: ShippingOption | null;
  /** `YYYY-MM-DD` with the chosen option, were it paid now; null without an address. */
  estimated_delivery: string | null;
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  /** The order it became, once completed. */
  order_id: string | null;
}

/** The shopper's view of a loaded checkout at `now`. */
export function checkoutView(c: LoadedCheckout, t: ShippingTables, now: number): CheckoutView {
  const to = c.address && destinationOf(t.SHIPPING_ZONES, c.address.country, c.address.region);
  const { quote } = priceCheckout(t, { lines: c.lines, sent: c.reservations, to, option: c.shipping_option }, now);
  return {
    checkout_id: c.snapshot.checkout_id,
    status: c.snapshot.status,
    expires_at: new Date(c.expires_at).toISOString(),
    currency: c.currency,
    lines: c.lines.map((l) => ({
      product_id: l.product_id,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unit_price_cents: l.unit_price_cents,
      line_total_cents: l.quantity * l.unit_price_cents,
      allocations: c.reservations
        .filter((r) => r.product_id === l.product_id)
        .map((r) => ({ warehouse_id: r.warehouse_id, quantity: r.quantity })),
    })),
    shipping_address_id: c.shipping_address_id,
    shipping_option: c.shipping_option,
    estimated_delivery: quote?.estimated_delivery ?? null,
    ...c.totals,
    order_id: c.snapshot.order_id,
  };
}
