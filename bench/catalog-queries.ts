import { COLORS, DEPARTMENTS, prng, slugify } from '../catalog/index.ts';

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const leaves = DEPARTMENTS.flatMap((d) => d.groups.flatMap((g) => g.leaves.map((l) => ({ d, g, l }))));

/**
 * One search a shopper of the seeded catalog might run, as a query string: words from the catalog (a noun, maybe a
 * feature, brand or colour), sometimes filters (brand, price range, stock, rating), a sort and a page; a quarter
 * are category pages without words.
 */
function searchQuery(r: Rand): string {
  const { d, g, l } = pick(r, leaves);
  const p = new URLSearchParams();
  if (r() < 0.25) {
    p.set('category', slugify(pick(r, [d.name, g.name, l.name, l.name])));
  } else {
    const words = [pick(r, l.nouns)];
    if (r() < 0.5) words.unshift(pick(r, l.features));
    if (r() < 0.2) words.unshift(pick(r, d.brands));
    if (r() < 0.1) words.push(pick(r, COLORS));
    p.set('q', words.join(' ').toLowerCase());
  }
  if (r() < 0.2) p.append('brand', pick(r, d.brands));
  if (r() < 0.2) {
    p.set('price_min', String(Math.round((l.price * 0.5) / 100) * 100));
    p.set('price_max', String(Math.round((l.price * 1.5) / 100) * 100));
  }
  if (r() < 0.2) p.set('in_stock', 'true');
  if (r() < 0.1) p.set('rating_min', '4');
  if (r() < 0.3) p.set('sort', pick(r, ['price_asc', 'price_desc', 'rating', 'newest', 'bestselling']));
  if (r() < 0.15) p.set('page', String(2 + Math.floor(r() * 3)));
  return `/api/v1/products/search?${p.toString()}`;
}

/** `n` distinct search paths, the same for the same seed. */
export function searchPaths(n: number, seed: number): string[] {
  const r = prng(seed);
  const out = new Set<string>();
  for (let tries = 0; out.size < n && tries < n * 50; tries++) out.add(searchQuery(r));
  return [...out];
}

/** `n` distinct autocomplete paths: the first 2–6 letters of catalog words, brands and categories. */
export function autocompletePaths(n: number, seed: number): string[] {
  const r = prng(seed);
  const out = new Set<string>();
  for (let tries = 0; out.size < n && tries < n * 50; tries++) {
    const { d, l } = pick(r, leaves);
    const word = pick(r, [pick(r, l.nouns), pick(r, l.features), pick(r, d.brands), l.name]).toLowerCase();
    out.add(`/api/v1/products/autocomplete?q=${encodeURIComponent(word.slice(0, 2 + Math.floor(r() * 5)))}`);
  }
  return [...out];
}

/**
 * Picks indexes 0…n-1 with Zipf-like popularity (index i about 1/(i+1) as likely as index 0), as real traffic
 * repeats its head queries.
 */
export function zipfPicker(n: number, r: Rand): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative.push((sum += 1 / (i + 1)));
  return () => {
    const x = r() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
