import { prng } from '../catalog/index.ts';
import { benchFlags } from './flags.ts';

/** What `npm run bench:checkout` was asked to do. */
export interface CheckoutBenchArgs {
  shoppers: number;
  /** Shoppers going through the API at once (the bounded concurrency driver). */
  concurrency: number;
  /** Products in the run's catalog; the first `hot` of them are asked for beyond their stock. */
  products: number;
  hot: number;
  /** How long the availability run lasts, and with how many autocannon connections. */
  availabilitySeconds: number;
  availabilityConnections: number;
  /** Seed of the shoppers' carts: the same seed, the same carts. */
  seed: number;
  out: string;
}

const USAGE = `usage: npm run bench:checkout -- [--shoppers N] [--concurrency C] [--products P] [--hot H]
                                [--availability-seconds S] [--availability-connections K] [--seed X] [--out FILE]`;

/** Parses the command line (node:util parseArgs, strict); throws with the usage on anything it does not know. */
export function parseCheckoutArgs(argv: readonly string[], now = new Date()): CheckoutBenchArgs {
  const f = benchFlags(argv, {
    usage: USAGE,
    kind: 'checkout',
    now,
    options: {
      shoppers: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '64' },
      products: { type: 'string', default: '200' },
      hot: { type: 'string', default: '20' },
      'availability-seconds': { type: 'string', default: '10' },
      'availability-connections': { type: 'string', default: '64' },
      seed: { type: 'string', default: '1' },
    },
  });
  const a: CheckoutBenchArgs = {
    shoppers: f.int('shoppers'),
    concurrency: f.int('concurrency'),
    products: f.int('products'),
    hot: f.int('hot', 0),
    availabilitySeconds: f.int('availability-seconds'),
    availabilityConnections: f.int('availability-connections'),
    seed: f.int('seed', 0),
    out: f.out,
  };
  if (a.hot > a.products) throw new Error(`--hot (${a.hot}) must not exceed --products (${a.products})`);
  return a;
}

/** A cart line: a product (its index in the run's catalog) and units. */
export interface PlannedLine {
  product: number;
  quantity: number;
}

/** Destinations of the shoppers' addresses, in turn: both US zones and two European ones. */
export const DESTINATIONS = [
  { country: 'US', region: 'CA' },
  { country: 'US', region: 'NY' },
  { country: 'FR', region: null },
  { country: 'DE', region: null },
] as const;

/** The warehouses of a run, one per region; every product's stock is spread over them. */
export const REGIONS = ['us-east', 'us-west', 'eu-west'] as const;

/** Share of cart lines that ask for a hot product. */
const HOT_SHARE = 0.4;

/**
 * Each shopper's cart, from the seed: 1 to 5 lines of distinct products, each line 1 or 2 units; a line is of a hot
 * product (one of the first `hot`) with probability 0.4, else of another one.
 */
export function planCarts(a: Pick<CheckoutBenchArgs, 'shoppers' | 'products' | 'hot' | 'seed'>): PlannedLine[][] {
  const rnd = prng(a.seed);
  const pick = (from: number, count: number) => from + Math.floor(rnd() * count);
  return Array.from({ length: a.shoppers }, () => {
    const lines = new Map<number, number>();
    const want = Math.min(1 + Math.floor(rnd() * 5), a.products);
    while (lines.size < want) {
      const hot = a.hot > 0 && (a.hot === a.products || rnd() < HOT_SHARE);
      const product = hot ? pick(0, a.hot) : pick(a.hot, a.products - a.hot);
      if (!lines.has(product)) lines.set(product, 1 + Math.floor(rnd() * 2));
    }
    return [...lines].map(([product, quantity]) => ({ product, quantity }));
  });
}

/** Units asked for of each product across all carts. */
export function demandOf(carts: readonly PlannedLine[][], products: number): number[] {
  const demand = new Array<number>(products).fill(0);
  for (const cart of carts) for (const l of cart) demand[l.product]! += l.quantity;
  return demand;
}

/**
 * Each product's stock per warehouse (REGIONS order): a hot product gets half its demand (so it sells out and
 * some shoppers are refused), every other one its demand and 10 more; spread evenly, the remainder first.
 */
export function planStock(demand: readonly number[], hot: number): number[][] {
  return demand.map((d, i) => {
    const total = i < hot ? Math.floor(d / 2) : d + 10;
    const each = Math.floor(total / REGIONS.length);
    return REGIONS.map((_, w) => each + (w < total % REGIONS.length ? 1 : 0));
  });
}
