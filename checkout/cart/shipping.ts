import type { Config, Distance, ShippingOption } from '../../platform/index.ts';
import { quote, quotes, totalsOf, type PricedLine, type Quote, type Totals } from './pricing.ts';
import { distanceOf, nearness, type Destination } from './zones.ts';

/** The tables a cart checkout prices with. */
export type ShippingTables = Pick<Config, 'SHIPPING_ZONES' | 'SHIPPING_RATES' | 'TAX_RATES'>;

/** Units leaving from a warehouse, with its region. */
export interface Sent {
  warehouse_id: string;
  region: string;
}

/** The distance of each shipment of `sent` to `to`: one per warehouse, in first-use order. */
export function shipmentDistances(t: ShippingTables, sent: readonly Sent[], to: Destination): Distance[] {
  const regions = new Map(sent.map((s) => [s.warehouse_id, s.region]));
  return [...regions.values()].map((region) => distanceOf(t.SHIPPING_ZONES, region, to));
}

/** How near a warehouse region is to `to`, for allocation: 0 in its zone, up to 3 beyond its continent. */
export const rankFor = (t: ShippingTables, to: Destination | null) => (region: string): number =>
  to === null ? 0 : nearness[distanceOf(t.SHIPPING_ZONES, region, to)];

/** What a checkout costs as it stands: totals, and the chosen option's quote (null without a destination). */
export interface Pricing {
  totals: Totals;
  quote: Quote | null;
}

/**
 * Prices lines sent as `sent` to `to` with `option`: the shipments' price and the destination country's tax
 * (on goods and shipping). Without a destination, shipping and tax are 0.
 */
export function priceCheckout(
  t: ShippingTables,
  c: { lines: readonly PricedLine[]; sent: readonly Sent[]; to: Destination | null; option: ShippingOption | null },
  now: number,
): Pricing {
  if (c.to === null || c.option === null) return { totals: totalsOf(c.lines, 0, null), quote: null };
  const q = quote(t.SHIPPING_RATES, c.option, shipmentDistances(t, c.sent, c.to), now);
  return { totals: totalsOf(c.lines, q.shipping_cents, t.TAX_RATES[c.to.country] ?? 0), quote: q };
}

/** Every option for lines sent as `sent` to `to`, each with the totals it gives. */
export function optionsFor(
  t: ShippingTables,
  c: { lines: readonly PricedLine[]; sent: readonly Sent[]; to: Destination },
  now: number,
): (Quote & Totals)[] {
  return quotes(t.SHIPPING_RATES, shipmentDistances(t, c.sent, c.to), now).map((q) => ({
    ...q,
    ...totalsOf(c.lines, q.shipping_cents, t.TAX_RATES[c.to.country] ?? 0),
  }));
}
