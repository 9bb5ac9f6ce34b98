import { html } from 'hono/html';
import type { ZoneTable } from '../platform/index.ts';
import type { Markup } from './layout.ts';

/** A country the shop ships to, as the delivery-estimate picker offers it. */
export interface Destination {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The country's English name. */
  name: string;
  /** Subdivision codes a zone serves on their own: where they lie changes the estimate. */
  regions: string[];
  /** Whether some zone serves the rest of the country (an address in no listed region still ships). */
  whole: boolean;
}

const englishNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Every country a shipping zone serves, by name, each with the subdivisions that zones list on their own (sorted),
 * so a page can ask for the region only where it matters.
 */
export function destinations(zones: ZoneTable, names: Pick<Intl.DisplayNames, 'of'> = englishNames): Destination[] {
  const byCountry = new Map<string, { regions: Set<string>; whole: boolean }>();
  for (const zone of Object.values(zones)) {
    for (const [country, served] of Object.entries(zone.countries)) {
      const d = byCountry.get(country) ?? { regions: new Set<string>(), whole: false };
      if (served === '*') d.whole = true;
      else for (const r of served) d.regions.add(r);
      byCountry.set(country, d);
    }
  }
  return [...byCountry]
    .map(([country, d]) => ({ country, name: names.of(country) ?? country, regions: [...d.regions].sort(), whole: d.whole }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/**
 * The countries as the options of a select, each carrying the regions that matter there (`data-regions`, spaces
 * between) and whether the rest of the country ships (`data-whole`), for the page's script.
 */
export const countryOptions = (places: Destination[]): Markup =>
  html`${places.map(
    (d) => html`<option value="${d.country}" data-regions="${d.regions.join(' ')}" data-whole="${String(d.whole)}">${d.name}</option>`,
  )}`;
