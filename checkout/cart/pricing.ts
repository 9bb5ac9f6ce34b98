import { shippingOptions, type Distance, type RateTable, type ShippingOption } from '../../platform/index.ts';

const DAY_MS = 86_400_000;

/** A checkout line at a price. */
export interface PricedLine {
  product_id: string;
  sku: string;
  title: string;
  quantity: number;
  unit_price_cents: number;
}

/** Every total of a checkout, in minor units; total = subtotal + shipping + tax. */
export interface Totals {
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
}

/** What one shipping option costs and when it arrives. */
export interface Quote {
  option: ShippingOption;
  shipping_cents: number;
  days: number;
  /** `YYYY-MM-DD` (UTC). */
  estimated_delivery: string;
}

/** The date (UTC, `YYYY-MM-DD`) `days` after `now`. */
export const deliveryDate = (now: number, days: number): string => new Date(now + days * DAY_MS).toISOString().slice(0, 10);

/**
 * An option for an order sent as one shipment per warehouse, each at its distance: the shipments' prices add up,
 * and the order arrives with its slowest shipment.
 */
export function quote(rates: RateTable, option: ShippingOption, shipments: readonly Distance[], now: number): Quote {
  const each = shipments.map((d) => rates[option][d]);
  const days = Math.max(0, ...each.map((r) => r.days));
  return {
    option,
    shipping_cents: each.reduce((s, r) => s + r.cents, 0),
    days,
    estimated_delivery: deliveryDate(now, days),
  };
}

/** Every option for these shipments, in the order of {@link shippingOptions}. */
export const quotes = (rates: RateTable, shipments: readonly Distance[], now: number): Quote[] =>
  shippingOptions.map((o) => quote(rates, o, shipments, now));

/** Tax at `basisPoints` (725 = 7.25 %) of an amount in minor units, rounded half up. */
export const taxOf = (cents: number, basisPoints: number): number => Math.floor((cents * basisPoints + 5_000) / 10_000);

/**
 * The totals of lines shipped for `shipping_cents`, taxed at `taxBasisPoints` of the goods and the shipping (null:
 * no destination yet, so no tax either).
 */
export function totalsOf(lines: readonly PricedLine[], shipping_cents: number, taxBasisPoints: number | null): Totals {
  const subtotal_cents = lines.reduce((s, l) => s + l.quantity * l.unit_price_cents, 0);
  const tax_cents = taxBasisPoints === null ? 0 : taxOf(subtotal_cents + shipping_cents, taxBasisPoints);
  return { subtotal_cents, shipping_cents, tax_cents, total_cents: subtotal_cents + shipping_cents + tax_cents };
}

/** A line whose unit price moved between two pricings of the same lines. */
export interface PriceChange {
  product_id: string;
  from_cents: number;
  to_cents: number;
}

/** The lines of `now` whose price is not the one in `before`, in the order of `now`. */
export function priceChanges(before: readonly PricedLine[], now: readonly PricedLine[]): PriceChange[] {
  const was = new Map(before.map((l) => [l.product_id, l.unit_price_cents]));
  return now.flatMap((l) => {
    const from = was.get(l.product_id);
    return from === undefined || from === l.unit_price_cents ? [] : [{ product_id: l.product_id, from_cents: from, to_cents: l.unit_price_cents }];
  });
}
