import { z } from 'zod';
import { AppError } from '../../platform/index.ts';
import type { Clock } from '../steps.ts';
import { quotes, type Quote } from './pricing.ts';
import { rankFor, shipmentDistances, type ShippingTables } from './shipping.ts';
import { destinationOf, type Destination } from './zones.ts';

/** A product's units by warehouse and, for one destination, when each shipping option would bring one. */
export interface AvailabilityView {
  product_id: string;
  available: number;
  currency: string;
  warehouses: { warehouse_id: string; region: string; available: number }[];
  destination: Destination;
  /** Priced and dated from the nearest warehouse with units (none when there are none). */
  options: Quote[];
}

/** What the answer reads of a product page (catalog/pages.ts). */
const pageSchema = z.object({
  product_id: z.string(),
  currency: z.string(),
  stock: z.object({
    available: z.number(),
    warehouses: z.array(z.object({ warehouse_id: z.string(), region: z.string(), available: z.number() })),
  }),
});

/** Product pages as JSON text, null for an unknown product: the catalog's page cache (Redis, PostgreSQL behind). */
export type PageSource = (productId: string) => Promise<string | null>;

/**
 * A product's availability for a destination, read from its cached product page (which the catalog drops on every
 * stock change, checkouts' reservations included). not_found for an unknown product; unprocessable (naming
 * `country`) for a country nothing ships to.
 */
export function createAvailability(d: { pages: PageSource; tables: ShippingTables; clock: Clock }) {
  return async (productId: string, country: string, region: string | null): Promise<AvailabilityView> => {
    const to = destinationOf(d.tables.SHIPPING_ZONES, country, region);
    if (to === null) {
      const message = `we do not ship to ${country}`;
      throw new AppError('unprocessable', message, { details: { reason: 'no_shipping', errors: [{ field: 'country', message }] } });
    }
    const text = await d.pages(productId);
    if (text === null) throw new AppError('not_found', `no product ${productId}`);
    const page = pageSchema.parse(JSON.parse(text));
    const stocked = page.stock.warehouses.filter((w) => w.available > 0);
    const rank = rankFor(d.tables, to);
    const nearest = [...stocked].sort((a, b) => rank(a.region) - rank(b.region))[0];
    return {
      product_id: page.product_id,
      available: Math.max(0, page.stock.available),
      currency: page.currency.trim(),
      warehouses: page.stock.warehouses.map((w) => ({ warehouse_id: w.warehouse_id, region: w.region, available: Math.max(0, w.available) })),
      destination: to,
      options: nearest ? quotes(d.tables.SHIPPING_RATES, shipmentDistances(d.tables, [nearest], to), d.clock()) : [],
    };
  };
}

export type Availability = ReturnType<typeof createAvailability>;
