import type { Distance, ZoneTable } from '../../platform/index.ts';

/**
 * The zone model. A warehouse's `region` names a zone of the table (`us-east`, `eu-west`); a zone lies on one
 * continent and serves countries, whole or by subdivision. An address (country and optional region) belongs to the
 * zone listing its country's subdivision, else the zone listing its whole country, else to none: nothing ships
 * there. A shipment's distance from a warehouse to an address is, nearest first: `zone` (the address's own zone),
 * `country` (the warehouse's zone serves the address's country), `continent`, `world` (also for a warehouse whose
 * region is not in the table).
 */

/** Where an order goes, as the zone model sees it. */
export interface Destination {
  country: string;
  /** The subdivision as given (upper-cased), or null. */
  region: string | null;
  zone: string;
  continent: string;
}

/** `ca`, `US-CA`, ` Ca ` → `CA`: a subdivision code without its country prefix. */
const regionCode = (country: string, region: string | null | undefined): string | null => {
  const r = region?.trim().toUpperCase() ?? '';
  if (r === '') return null;
  return r.startsWith(`${country}-`) ? r.slice(country.length + 1) : r;
};

/** The destination of an address, or null when no zone serves its country (nothing ships there). */
export function destinationOf(zones: ZoneTable, country: string, region?: string | null): Destination | null {
  const c = country.trim().toUpperCase();
  const r = regionCode(c, region);
  let whole: string | null = null;
  for (const [name, zone] of Object.entries(zones)) {
    const served = zone.countries[c];
    if (served === undefined) continue;
    if (served === '*') whole ??= name;
    else if (r !== null && served.includes(r)) return { country: c, region: r, zone: name, continent: zone.continent };
  }
  if (whole === null) return null;
  return { country: c, region: r, zone: whole, continent: zones[whole]!.continent };
}

/** How far a shipment from a warehouse in `warehouseRegion` travels to `to`. */
export function distanceOf(zones: ZoneTable, warehouseRegion: string, to: Destination): Distance {
  if (warehouseRegion === to.zone) return 'zone';
  const from = Object.hasOwn(zones, warehouseRegion) ? zones[warehouseRegion]! : undefined;
  if (from === undefined) return 'world';
  if (Object.hasOwn(from.countries, to.country)) return 'country';
  if (from.continent === to.continent) return 'continent';
  return 'world';
}

/** Nearest first, for sorting: 0 for `zone` up to 3 for `world`. */
export const nearness: Record<Distance, number> = { zone: 0, country: 1, continent: 2, world: 3 };
