import { z } from 'zod';

/**
 * The cart checkout's tables, read from the environment as JSON (zones, rates) or `CC:percent` lists (tax), each
 * with defaults for the demo's countries. checkout/cart/zones.ts and shipping.ts say how they are used.
 */

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US');
const regionCode = z.string().regex(/^[A-Z0-9]{1,3}$/, 'must be a subdivision code such as CA');

/**
 * Shipping zones by name (the `region` of warehouses: `us-east`, `eu-west`): the continent a zone lies on and the
 * countries it serves, each whole (`"*"`) or by its subdivision codes (`["CA", "OR"]`). An address belongs to the
 * zone that lists its country's subdivision, else to the one that lists its whole country.
 */
export const zoneTable = z
  .record(
    z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'zone names are lower case, like us-east'),
    z.strictObject({
      continent: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter continent code such as NA'),
      countries: z.record(countryCode, z.union([z.literal('*'), z.array(regionCode).min(1)])),
    }),
  )
  .superRefine((zones, ctx) => {
    // Each country as a whole, and each subdivision, belongs to one zone at most.
    const owner = new Map<string, string>();
    for (const [name, zone] of Object.entries(zones)) {
      for (const [country, regions] of Object.entries(zone.countries)) {
        for (const place of regions === '*' ? [country] : regions.map((r) => `${country}-${r}`)) {
          const other = owner.get(place);
          if (other !== undefined) ctx.addIssue({ code: 'custom', message: `${place} is in both ${other} and ${name}` });
          owner.set(place, name);
        }
      }
    }
  });
export type ZoneTable = z.infer<typeof zoneTable>;

/** How far a shipment travels: within the address's zone, its country, its continent, or beyond. */
export const distances = ['zone', 'country', 'continent', 'world'] as const;
export type Distance = (typeof distances)[number];

export const shippingOptions = ['standard', 'express'] as const;
export type ShippingOption = (typeof shippingOptions)[number];

const rate = z.strictObject({ days: z.number().int().min(0).max(90), cents: z.number().int().min(0) });
const ratesByDistance = z.strictObject({ zone: rate, country: rate, continent: rate, world: rate });
/** Days and price (minor units of the order's currency) of one shipment, per option and distance. */
export const rateTable = z.strictObject({ standard: ratesByDistance, express: ratesByDistance });
export type RateTable = z.infer<typeof rateTable>;

/** `US:7.25,DE:19`: the sales tax of each country in percent (two decimals at most), as basis points. */
export const taxTable = z
  .string()
  .transform((s, ctx) => {
    const out: Record<string, number> = {};
    for (const item of s.split(',').map((x) => x.trim()).filter(Boolean)) {
      const m = /^([A-Z]{2}):(\d{1,2}(?:\.\d{1,2})?)$/.exec(item);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not COUNTRY:percent, such as US:7.25` });
        return z.NEVER;
      }
      out[m[1]!] = Math.round(Number(m[2]) * 100);
    }
    return out;
  });
export type TaxTable = z.infer<typeof taxTable>;

/** A JSON value from the environment, then checked by `schema`. */
export const jsonOf = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const WEST = ['AK', 'AZ', 'CA', 'CO', 'HI', 'ID', 'MT', 'NM', 'NV', 'OR', 'UT', 'WA', 'WY'];

/** The demo's zones: the US split east and west, Canada, western and central Europe. */
export const DEFAULT_ZONES: ZoneTable = {
  'us-east': { continent: 'NA', countries: { US: '*' } },
  'us-west': { continent: 'NA', countries: { US: WEST } },
  'ca-central': { continent: 'NA', countries: { CA: '*' } },
  'eu-west': { continent: 'EU', countries: { GB: '*', IE: '*', FR: '*', BE: '*', NL: '*', LU: '*', ES: '*', PT: '*' } },
  'eu-central': { continent: 'EU', countries: { DE: '*', AT: '*', CH: '*', IT: '*', PL: '*', CZ: '*', DK: '*', SE: '*' } },
};

export const DEFAULT_RATES: RateTable = {
  standard: {
    zone: { days: 3, cents: 499 },
    country: { days: 5, cents: 799 },
    continent: { days: 8, cents: 1_499 },
    world: { days: 14, cents: 2_999 },
  },
  express: {
    zone: { days: 1, cents: 1_499 },
    country: { days: 2, cents: 1_999 },
    continent: { days: 3, cents: 3_499 },
    world: { days: 5, cents: 5_999 },
  },
};

export const DEFAULT_TAX_RATES =
  'US:7.25,CA:5,GB:20,IE:23,FR:20,BE:21,NL:21,LU:17,ES:21,PT:23,DE:19,AT:20,CH:8.1,IT:22,PL:23,CZ:21,DK:25,SE:25';
