import { COLORS, DEPARTMENTS, SEED_WAREHOUSES, type Department, type Leaf } from './seed-data.ts';

/** A generated product with its stock per seed warehouse (index into SEED_WAREHOUSES). */
export interface SeedProduct {
  product_id: string;
  sku: string;
  title: string;
  description: string;
  category_path: [string, string, string];
  price_cents: number;
  currency: 'USD';
  brand: string;
  rating_avg: number;
  rating_count: number;
  sales_count: number;
  images: string[];
  attributes: Record<string, string>;
  created_at: Date;
  stock: { warehouse: number; available: number }[];
  in_stock: boolean;
}

/** The first seeded product was created at this instant; each next one ~90 s later. */
const EPOCH_MS = Date.UTC(2023, 0, 1);
const STEP_MS = 90_000;
/** Share of products with no unit in any warehouse. */
const OUT_OF_STOCK = 0.08;

/** mulberry32: a small, fast PRNG in [0, 1); the same seed always yields the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a product number and a salt, so each product has its own independent stream. */
const seedOf = (n: number, salt: number) => Math.imul(n ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b) ^ (n >>> 13);

const LEAF_ORDINALS = new Map<Leaf, number>(DEPARTMENTS.flatMap((d) => d.groups.flatMap((g) => g.leaves)).map((l, i) => [l, i]));
const cumulative = DEPARTMENTS.reduce<number[]>((acc, d) => [...acc, (acc.at(-1) ?? 0) + d.weight], []);
const totalWeight = cumulative.at(-1)!;

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
/** Zipf-like: earlier items are much more likely (brand popularity). */
const pickSkewed = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() ** 2 * list.length)]!;
const normal = (r: Rand) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

const hex = (r: Rand, digits: number) =>
  Array.from({ length: digits }, () => Math.floor(r() * 16).toString(16)).join('');

/** A UUIDv7 whose time is `ms` and whose other bits come from `r`: ids sort by creation like newId()'s. */
function uuidV7(ms: number, r: Rand): string {
  const t = ms.toString(16).padStart(12, '0');
  const variant = (8 + Math.floor(r() * 4)).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(r, 3)}-${variant}${hex(r, 3)}-${hex(r, 12)}`;
}

/** The stream of product n, and its creation time and id: the first things drawn from it. */
function start(n: number) {
  const r = prng(seedOf(n, 1));
  const created = EPOCH_MS + (n - 1) * STEP_MS + Math.floor(r() * STEP_MS);
  return { r, created, product_id: uuidV7(created, r) };
}

/** The category of product n, from a stream of its own (so it is cheap to know without the rest). */
function category(n: number) {
  const c = prng(seedOf(n, 2));
  const dep = department(c);
  const group = pick(c, dep.groups);
  return { dep, group, leaf: pick(c, group.leaves) };
}

/** A number per leaf category, in tree order: loading products sorted by it keeps each category's rows together. */
export const seedCategoryOrdinal = (n: number): number => LEAF_ORDINALS.get(category(n).leaf)!;

/** The id of seeded product number n (1-based), without generating the rest of it. */
export const seedProductId = (n: number): string => start(n).product_id;

/** The SKU of seeded product n: `SEED-` and n in eight digits (the seed finds what it loaded by it). */
export const seedSku = (n: number): string => `SEED-${String(n).padStart(8, '0')}`;

function department(r: Rand): Department {
  const x = r() * totalWeight;
  return DEPARTMENTS[cumulative.findIndex((c) => x < c)]!;
}

function title(r: Rand, brand: string, l: Leaf, model: string, color: string): string {
  const f1 = pick(r, l.features);
  const f2 = r() < 0.45 ? pick(r, l.features) : null;
  const features = f2 && f2 !== f1 ? `${f1} ${f2}` : f1;
  return `${brand} ${features} ${pick(r, l.nouns)} ${model}${r() < 0.6 ? `, ${color}` : ''}`;
}

function describe(r: Rand, name: string, l: Leaf, brand: string): string {
  const first = Math.floor(r() * l.features.length);
  const second = (first + 1 + Math.floor(r() * (l.features.length - 1))) % l.features.length;
  const noun = l.nouns[0]!.toLowerCase();
  return `${name}. ${l.features[first]} and ${l.features[second]!.toLowerCase()} ${noun} by ${brand}, made for everyday use. Ships from stock with a two-year warranty.`;
}

/**
 * Seeded product number n (1-based): always the same for the same n, independent of every other product.
 * Department by catalog share, brand skewed to the department's leaders, price log-normal around the leaf's
 * typical price (ending in .99), heavy-tailed sales, ratings around 4.1 with counts following sales, stock in
 * one to four warehouses with OUT_OF_STOCK of products sold out everywhere.
 */
export function generateProduct(n: number): SeedProduct {
  const { r, created, product_id } = start(n);
  const { dep, group, leaf: l } = category(n);
  const brand = pickSkewed(r, dep.brands);
  const model = `${brand.slice(0, 2).toUpperCase()}-${100 + Math.floor(r() * 900)}`;
  const color = pick(r, COLORS);
  const name = title(r, brand, l, model, color);
  const price_cents = Math.max(99, Math.round((l.price * Math.exp(normal(r) * 0.45)) / 100) * 100 - 1);
  const sales_count = r() < 0.3 ? 0 : Math.floor(Math.exp(r() ** 2.5 * Math.log(250_000)));
  const rating_count = sales_count === 0 ? 0 : Math.floor(sales_count * (0.02 + r() * 0.15));
  const rating_avg = rating_count === 0 ? 0 : Math.round(Math.min(5, Math.max(1, 4.1 + normal(r) * 0.55)) * 100) / 100;
  const soldOut = r() < OUT_OF_STOCK;
  const stock = SEED_WAREHOUSES.flatMap((_, warehouse) =>
    r() < 0.6 ? [{ warehouse, available: soldOut ? 0 : Math.floor(r() ** 2 * 400) }] : [],
  );
  if (stock.length === 0) stock.push({ warehouse: Math.floor(r() * SEED_WAREHOUSES.length), available: soldOut ? 0 : 1 + Math.floor(r() * 50) });
  const sku = seedSku(n);
  return {
    product_id,
    sku,
    title: name,
    description: describe(r, name, l, brand),
    category_path: [dep.name, group.name, l.name],
    price_cents,
    currency: 'USD',
    brand,
    rating_avg,
    rating_count,
    sales_count,
    images: [`https://img.flashline.test/seed/${sku}.jpg`],
    attributes: { color, model },
    created_at: new Date(created),
    stock,
    in_stock: stock.some((s) => s.available > 0),
  };
}
