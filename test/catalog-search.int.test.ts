import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePrefix, type Catalog, type SearchResult } from '../catalog/index.ts';
import { edgeApp } from '../edge/server.ts';
import { addProducts, dropSearchIndex, engineRuntime, ENGINES, word, type FixtureProduct, type Listed } from './catalog-fixtures.ts';
import { testRuntime } from './helpers.ts';

type Result = Omit<SearchResult, 'products'> & { products: Listed[] };
type App = Awaited<ReturnType<typeof edgeApp>>['app'];

const base = testRuntime();
afterAll(async () => {
  await base.redis.quit();
  await base.sql.end();
});

// The same behaviour on every engine that is available (Elasticsearch/OpenSearch only when one answers).
for (const { engine, available } of await ENGINES) describe.skipIf(!available)(`catalog on ${engine}`, () => {
const rt = engineRuntime(base, engine);
let app: App;
let catalog: Catalog;
let close: () => Promise<void>;
beforeAll(async () => {
  const edge = await edgeApp(rt);
  ({ app, close } = edge);
  catalog = edge.services.catalog;
});
afterAll(async () => {
  await close?.();
  await dropSearchIndex(rt);
});

async function search(params: Record<string, string | number | (string | number)[]>): Promise<Result> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) qs.append(k, String(x));
  const res = await app.request(`/api/v1/products/search?${qs.toString()}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Result;
}
const titles = (r: Result) => r.products.map((p) => p.title);
const ids = (r: Result) => r.products.map((p) => p.product_id).sort();

describe('search ranking', () => {
  it('puts an exact title match first, boosts best sellers and sinks what is out of stock', async () => {
    const brand = `Rank${word(8)}`;
    await addProducts(rt, catalog, [
      { title: `${brand} Wireless Headphones Max`, brand, sales_count: 50_000, stock: 0 },
      { title: `${brand} Wireless Headphones Lite`, brand, sales_count: 0 },
      { title: 'Wireless Headphones', brand, sales_count: 0 },
      { title: `${brand} Wireless Headphones Pro`, brand, sales_count: 5_000 },
    ]);
    const r = await search({ q: 'wireless headphones', brand });
    expect(titles(r)).toEqual([
      'Wireless Headphones',
      `${brand} Wireless Headphones Pro`,
      `${brand} Wireless Headphones Lite`,
      `${brand} Wireless Headphones Max`,
    ]);
    expect(r.products.map((p) => p.in_stock)).toEqual([true, true, true, false]);
    expect(r.products[0]).toMatchObject({ brand, currency: 'USD', category_path: [], image: 'https://img.example.test/2.jpg' });
  });
});

describe('facets and filters', () => {
  const w = word();
  const [b1, b2, b3] = [`Alpha${word(6)}`, `Beta${word(6)}`, `Gamma${word(6)}`];
  const dept = `Dept ${word(6)}`;
  const [leafA, leafB] = [`Leaf ${word(6)}`, `Leaf ${word(6)}`];
  const slug = (s: string) => s.toLowerCase().replace(' ', '-');
  const fixture: FixtureProduct[] = Array.from({ length: 24 }, (_, i) => ({
    title: `${w} gadget ${i}`,
    brand: [b1, b2, b3][i % 3],
    category_path: [dept, 'Group', i % 4 === 0 ? leafA : leafB],
    price_cents: [500, 1_500, 4_999, 5_000, 12_000, 99_999][i % 6],
    rating_avg: [4.5, 3.2, 2, 4, 1.5][i % 5],
    rating_count: 3,
    // Best sellers, with ties among them; two of the out-of-stock products sell well too.
    sales_count: [0, 250, 0, 40, 0, 1_000][i % 6],
    stock: i % 7 === 0 ? 0 : 3,
  }));
  let ready: Promise<string[]>;
  beforeAll(() => {
    ready = addProducts(rt, catalog, fixture);
  });

  it('combines filters with AND across facets and OR within one, category matching any level', async () => {
    const all = await ready;
    const expected = (keep: (p: FixtureProduct) => boolean) =>
      fixture.flatMap((p, i) => (keep(p) ? [all[i]!] : [])).sort();
    const r1 = await search({ q: w, brand: [b1, b2], price_min: 1_000, price_max: 5_000, page_size: 100 });
    expect(ids(r1)).toEqual(expected((p) => [b1, b2].includes(p.brand!) && p.price_cents! >= 1_000 && p.price_cents! <= 5_000));
    const r2 = await search({ q: w, category: slug(leafA), rating_min: 3, in_stock: 'true', page_size: 100 });
    expect(ids(r2)).toEqual(expected((p) => p.category_path![2] === leafA && p.rating_avg! >= 3 && p.stock !== 0));
    const r3 = await search({ q: w, category: [dept], brand: b3.toLowerCase(), min_price: 5_000, page_size: 100 });
    expect(ids(r3)).toEqual(expected((p) => p.brand === b3 && p.price_cents! >= 5_000));
    expect(r3.total).toBe(r3.products.length);
  });

  it('counts each facet with the other filters applied, so every count is what a click gives', async () => {
    await ready;
    const base = { q: w, brand: b1, price_min: 1_000, rating_min: 2, page_size: 100 };
    const r = await search(base);
    const { brands, categories, price_ranges, ratings } = r.facets;
    // Brands are counted without the brand filter: the other brands stay on offer.
    expect(brands.map((b) => b.value).sort()).toEqual([b1, b2, b3].sort());
    expect(categories.map((c) => c.value)).toEqual(expect.arrayContaining([slug(dept), 'group', slug(leafB)]));
    expect(categories.find((c) => c.value === slug(leafB))?.label).toBe(leafB);
    const clicks: [Record<string, string | number>, number][] = [
      ...brands.map((b): [Record<string, string | number>, number] => [{ ...base, brand: b.value }, b.count]),
      ...categories.map((c): [Record<string, string | number>, number] => [{ ...base, category: c.value }, c.count]),
      ...price_ranges.map((p): [Record<string, string | number>, number] => [
        { ...base, price_min: p.from, ...(p.to === null ? {} : { price_max: p.to }) },
        p.count,
      ]),
      ...ratings.map((s): [Record<string, string | number>, number] => [{ ...base, rating_min: s.min }, s.count]),
    ];
    expect(clicks.length).toBeGreaterThan(8);
    for (const [params, count] of clicks) expect((await search(params)).total, JSON.stringify(params)).toBe(count);
  });

  it('browses a category without words, best sellers first, facets still what a click gives', async () => {
    const all = await ready;
    const r = await search({ category: slug(dept), page_size: 100 });
    expect(ids(r)).toEqual([...all].sort());
    // Best sellers first, anything in stock before anything out of stock, the product id breaking ties.
    const ranked = fixture
      .map((p, i) => ({ id: all[i]!, inStock: p.stock !== 0, sales: p.sales_count! }))
      .sort((a, b) => Number(b.inStock) - Number(a.inStock) || b.sales - a.sales || (a.id < b.id ? -1 : 1));
    expect(r.products.map((p) => p.product_id)).toEqual(ranked.map((p) => p.id));
    // The category facet is counted without the category filter: here the whole catalog's, whatever the other
    // tests added to it; a click on any of its values replaces the category and gives that count.
    expect(r.facets.categories).toContainEqual({ value: slug(dept), label: dept, count: 24 });
    for (const c of r.facets.categories) expect((await search({ category: c.value })).total, c.value).toBe(c.count);
    expect(r.facets.brands.map((b) => b.value).sort()).toEqual([b1, b2, b3].sort());
    for (const b of r.facets.brands) expect((await search({ category: slug(dept), brand: b.value })).total).toBe(b.count);
    const inStock = await search({ category: slug(dept), in_stock: 'true' });
    expect(inStock.total).toBe(20);
    expect(inStock.facets.brands.reduce((n, b) => n + b.count, 0)).toBe(20);
    const withBrand = await search({ category: slug(dept), brand: b1 });
    expect(withBrand.total).toBe(8);
    expect(withBrand.facets.categories.find((c) => c.value === slug(leafA))?.count).toBe(
      (await search({ category: slug(leafA), brand: b1 })).total,
    );
  });

  it('pages through ties without overlap or gaps, the same way every time', async () => {
    await ready;
    for (const sort of ['relevance', 'price_asc', 'rating', 'newest', 'bestselling']) {
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const r = await search({ q: w, sort, page, page_size: 7 });
        expect(r).toMatchObject({ total: 24, page, page_size: 7 });
        seen.push(...r.products.map((p) => p.product_id));
      }
      expect(seen).toHaveLength(24);
      expect(new Set(seen).size).toBe(24);
      const again = await search({ q: w, sort, page: 2, page_size: 7 });
      expect(again.products.map((p) => p.product_id)).toEqual(seen.slice(7, 14));
    }
    const cheap = await search({ q: w, sort: 'price_asc', page_size: 100 });
    const prices = cheap.products.map((p) => p.price_cents);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });
});

describe('typos, synonyms and corrections', () => {
  it('finds products despite typos in the query', async () => {
    const brand = `Typo${word(8)}`;
    const w = word();
    await addProducts(rt, catalog, [
      { title: `${brand} Wireless Headphones`, brand },
      { title: `${w} travel kettle`, brand },
    ]);
    expect(titles(await search({ q: 'wireles hedphones', brand }))).toEqual([`${brand} Wireless Headphones`]);
    const typo = `${w.slice(0, 5)}${w.slice(6)}`;
    expect(titles(await search({ q: `${typo} kettle` }))).toEqual([`${w} travel kettle`]);
  });

  it('finds a product by a synonym of its words', async () => {
    const brand = `Syn${word(8)}`;
    await addProducts(rt, catalog, [
      { title: `${brand} Ultralight Notebook 14`, brand },
      { title: `${brand} Television 55 inch`, brand },
    ]);
    expect(titles(await search({ q: 'laptop', brand }))).toEqual([`${brand} Ultralight Notebook 14`]);
    expect(titles(await search({ q: 'tv', brand }))).toEqual([`${brand} Television 55 inch`]);
  });

  it('offers did_you_mean when a query finds little and a similar, more frequent word finds more', async () => {
    const w = word();
    const rare = `${w.slice(0, 6)}${w[6] === 'q' ? 'x' : 'q'}${w.slice(7)}`;
    await addProducts(rt, catalog, [
      ...Array.from({ length: 5 }, (_, i) => ({ title: `${w} desk lamp ${i}` })),
      { title: `${rare} desk lamp` },
    ]);
    const few = await search({ q: rare });
    expect(few.total).toBe(1);
    expect(few.did_you_mean).toBe(w);
    const plenty = await search({ q: w });
    expect(plenty.total).toBe(5);
    expect(plenty.did_you_mean).toBeUndefined();
    const none = await search({ q: word(14) });
    expect(none).toMatchObject({ total: 0, products: [] });
  });
});

describe('autocomplete and categories', () => {
  it('suggests categories, brands and products by prefix', async () => {
    const w = word();
    const brand = `Brand${word(8)}`;
    const leaf = `Leaf${word(8)}`;
    const [id] = await addProducts(rt, catalog, [
      { title: `${w} ceramic vase`, brand, category_path: ['Home', leaf], sales_count: 10 },
    ]);
    const suggest = async (q: string) => {
      const res = await app.request(`/api/v1/products/autocomplete?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { suggestions: { text: string; kind: string; id?: string }[] }).suggestions;
    };
    expect(await suggest(w.slice(0, 7))).toContainEqual({ text: `${w} ceramic vase`, kind: 'product', id });
    expect(await suggest(`${w} cera`)).toContainEqual({ text: `${w} ceramic vase`, kind: 'product', id });
    expect(await suggest(brand.slice(0, 10).toLowerCase())).toContainEqual({ text: brand, kind: 'brand' });
    expect(await suggest(leaf.slice(0, 10))).toContainEqual({ text: leaf, kind: 'category', id: leaf.toLowerCase() });
  });

  it('lists the category tree with product counts at every level', async () => {
    const dept = `Dept${word(8)}`;
    await addProducts(rt, catalog, [
      { title: 'a', category_path: [dept, 'Audio', 'Headphones'] },
      { title: 'b', category_path: [dept, 'Audio', 'Speakers'] },
      { title: 'c', category_path: [dept, 'Audio', 'Speakers'] },
      { title: 'd', category_path: [dept, 'Computers'] },
    ]);
    const res = await app.request('/api/v1/categories');
    const { categories } = (await res.json()) as { categories: { slug: string; count: number; children: unknown[] }[] };
    expect(categories.find((c) => c.slug === dept.toLowerCase())).toEqual({
      slug: dept.toLowerCase(),
      name: dept,
      count: 4,
      children: [
        {
          slug: 'audio', name: 'Audio', count: 3, children: [
            { slug: 'speakers', name: 'Speakers', count: 2, children: [] },
            { slug: 'headphones', name: 'Headphones', count: 1, children: [] },
          ],
        },
        { slug: 'computers', name: 'Computers', count: 1, children: [] },
      ],
    });
  });
});

describe('product page', () => {
  it('shows every field with stock per warehouse, cached in Redis', async () => {
    const [id] = await addProducts(rt, catalog, [
      { title: 'Page product', brand: 'Acme', category_path: ['Home', 'Kitchen'], price_cents: 4_200, stock: 7 },
    ]);
    const res = await app.request(`/api/v1/products/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const page = (await res.json()) as Record<string, unknown> & { stock: { available: number; in_stock: boolean; warehouses: unknown[] } };
    expect(page).toMatchObject({ product_id: id, title: 'Page product', brand: 'Acme', price_cents: 4_200, currency: 'USD',
      category_path: ['Home', 'Kitchen'], category_slugs: ['home', 'kitchen'], rating_avg: 0 });
    expect(page.stock).toMatchObject({ available: 7, in_stock: true });
    expect(page.stock.warehouses).toEqual([expect.objectContaining({ available: 7, region: 'test' })]);
    await waitUntilCached(id!);
    expect(await (await app.request(`/api/v1/products/${id}`)).json()).toEqual(page);
  });
});

/** The page cache is written after the response; wait for it to land. */
async function waitUntilCached(id: string) {
  const key = `${cachePrefix(rt.config.DATABASE_URL)}:page:${id}`;
  await expect.poll(() => rt.redis.exists(key), { timeout: 5_000, interval: 20 }).toBe(1);
}

describe('bad parameters', () => {
  it('answers 400 problem+json naming each bad parameter', async () => {
    for (const [qs, field] of [
      ['price_min=-5', 'price_min'],
      ['max_price=-1', 'max_price'],
      ['page_size=10000', 'page_size'],
      ['sort=cheapest', 'sort'],
      ['price_min=900&price_max=100', 'price_max'],
      ['rating_min=9', 'rating_min'],
      ['in_stock=perhaps', 'in_stock'],
      ['page=0', 'page'],
      ['colour=red', 'colour'],
    ] as const) {
      const res = await app.request(`/api/v1/products/search?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = (await res.json()) as { errors: { field: string }[] };
      expect(body.errors.map((e) => e.field)).toContain(field);
    }
    expect((await app.request('/api/v1/products/autocomplete')).status).toBe(400);
    expect((await app.request('/api/v1/products/not-a-uuid')).status).toBe(400);
    expect((await app.request('/api/v1/products/018f0000-0000-7000-8000-00000000dead')).status).toBe(404);
  });
});
});
