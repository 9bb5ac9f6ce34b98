import type { Facets } from './search.ts';

/** The facets a search counts and filters by. */
export const FACETS = ['brand', 'category', 'price', 'rating'] as const;
export type Facet = (typeof FACETS)[number];

/** Multiplier of a product nobody can buy now: it sinks below comparable products but stays findable. */
export const OUT_OF_STOCK_BOOST = 0.05;

/** Lower bounds of the price ranges, in minor units; each range ends one unit below the next bound. */
export const PRICE_BOUNDS = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000] as const;
/** The rating thresholds offered: "4 stars and up", "3 and up"… */
export const RATING_STEPS = [4, 3, 2, 1] as const;
/** Most brands and categories a facet lists (the largest counts). */
export const FACET_VALUES = 20;

/** The inclusive [from, to] range of each price bucket, the last one open-ended (to = null). */
export const priceBuckets = (): { from: number; to: number | null }[] =>
  PRICE_BOUNDS.map((from, i) => ({ from, to: i + 1 < PRICE_BOUNDS.length ? PRICE_BOUNDS[i + 1]! - 1 : null }));

/**
 * Price ranges with their counts, in PRICE_BOUNDS order, leaving out empty ranges. Clicking one (price_min = from,
 * price_max = to) gives exactly `count` results.
 */
export const priceRanges = (counts: readonly number[]): Facets['price_ranges'] =>
  priceBuckets()
    .map((b, i) => ({ ...b, count: counts[i] ?? 0 }))
    .filter((r) => r.count > 0);

/** Rating thresholds with their counts (rating_min = min gives `count` results), leaving out empty ones. */
export const ratingSteps = (counts: readonly number[]): Facets['ratings'] =>
  RATING_STEPS.map((min, i) => ({ min, count: counts[i] ?? 0 })).filter((r) => r.count > 0);
