import { parseArgs } from 'node:util';
import { prng, seedProductId } from '../catalog/index.ts';
import { searchPaths, zipfPicker } from './catalog-queries.ts';
import { loadGets, writeResults, type Load } from './load.ts';
import { seedShopperOrders } from './page-orders.ts';
import { linkedDrop, moduleImports, pageScripts, searchPagePath } from './page-paths.ts';

/**
 * `npm run bench:pages -- [--url U] [--products N] [--duration S] [--connections C] [--drop ID] [--orders O]`: the
 * server time of every page under C concurrent readers (default 50) for S seconds each, against a running edge whose
 * database holds `npm run seed:catalog -- --products N`, and each page's JavaScript (its module scripts and what
 * they import). The budget is 300 ms p99 per page and 100 KB of JavaScript. The drop page is measured on `--drop`,
 * or the first drop the home page links to. The order list and order page are measured with the API reads their
 * scripts make, for a shopper of the bench's own who first places O orders (default 20) through the public API.
 * Prints a table; writes bench/results/pages-<time>.json.
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    products: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    drop: { type: 'string' },
    orders: { type: 'string', default: '20' },
  },
});
const base = values.url.replace(/\/$/, '');
const products = Number(values.products);
const duration = Number(values.duration);
const connections = Number(values.connections);
const BUDGET_MS = 300;
const JS_BUDGET_KB = 100;
const r = prng(Date.now() % 2 ** 31);

const text = async (path: string) => {
  const res = await fetch(base + path);
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return body;
};

/** Bytes of JavaScript a page loads: its module scripts and, transitively, their relative imports. */
async function scriptBytes(path: string): Promise<number> {
  const seen = new Set<string>();
  const queue = pageScripts(await text(path));
  let bytes = 0;
  while (queue.length > 0) {
    const src = queue.shift()!;
    if (seen.has(src)) continue;
    seen.add(src);
    const source = await text(src);
    bytes += Buffer.byteLength(source);
    queue.push(...moduleImports(source).map((m) => new URL(m, `${base}${src}`).pathname));
  }
  return bytes;
}

interface Row extends Load {
  page: string;
  /** null for an API read, which loads no script. */
  js_kb: number | null;
}

/** Measures `next()` paths under the readers; `sample` is a page whose JavaScript is counted, null for an API read. */
async function measure(page: string, sample: string | null, next: () => string, headers: Record<string, string> = {}): Promise<Row> {
  process.stderr.write(`${page}: ${connections} readers, ${duration} s\n`);
  const js = sample === null ? null : await scriptBytes(sample);
  const load = await loadGets({ url: base, connections, seconds: duration, next, headers });
  return { page, ...load, js_kb: js === null ? null : Math.round((js / 1024) * 10) / 10 };
}

if ((await fetch(`${base}/products/${seedProductId(1)}`)).status !== 200) {
  console.error(`no seeded product at ${base}: run npm run seed:catalog -- --products ${products} first`);
  process.exit(2);
}
const home = await text('/');
const dropId = values.drop ?? linkedDrop(home);
const once = (path: string) => () => path;
const searches = searchPaths(300, 1).map(searchPagePath);
for (const s of searches) await text(s); // asked once, as shoppers had before: the cache is warm
const zipf = zipfPicker(searches.length, r);
const hot = Array.from({ length: 2_000 }, () => `/products/${seedProductId(1 + Math.floor(r() * products))}`);
for (const p of hot.slice(0, 200)) await text(p);
let k = Math.floor(r() * products);

const rows: Row[] = [];
rows.push(await measure('home', '/', once('/')));
rows.push(await measure('search (300 queries, Zipf)', searches[0]!, () => searches[zipf()]!));
rows.push(await measure('product (2,000 popular)', hot[0]!, () => hot[Math.floor(r() * hot.length)]!));
rows.push(
  await measure('product (never asked)', hot[0]!, () => {
    k = (k + 7_919) % products;
    return `/products/${seedProductId(k + 1)}`;
  }),
);
rows.push(await measure('cart', '/cart', once('/cart')));
rows.push(await measure('checkout', '/checkout', once('/checkout')));
rows.push(await measure('sign in', '/signin', once('/signin')));
if (dropId === undefined) process.stderr.write('drop: no drop on the home page and no --drop; not measured\n');
else rows.push(await measure('drop', `/drops/${dropId}`, once(`/drops/${dropId}`)));
// The order list and order page are shells; their scripts read the shopper's orders from the API with its token.
process.stderr.write(`placing ${Number(values.orders)} orders for a bench shopper\n`);
const shopper = await seedShopperOrders(base, Number(values.orders), products);
const bearer = { authorization: `Bearer ${shopper.token}` };
const orderPath = () => `/orders/${shopper.orderIds[Math.floor(r() * shopper.orderIds.length)]}`;
rows.push(await measure('order list', '/orders', once('/orders')));
rows.push(await measure('  its read: GET /me/orders', null, once('/api/v1/me/orders?limit=20'), bearer));
rows.push(await measure('order', orderPath(), orderPath));
rows.push(await measure('  its read: GET /orders/{id}', null, () => `/api/v1${orderPath()}`, bearer));
rows.push(await measure('ops dashboard', '/ops', once('/ops')));

const ms = (n: number) => n.toFixed(1).padStart(8);
console.log(`\npage benchmark — ${connections} readers, ${duration} s per page, ${products.toLocaleString('en-US')} products`);
console.log(`${'page'.padEnd(28)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'JS KB'.padStart(6)}  errors  budget (${BUDGET_MS} ms p99, ${JS_BUDGET_KB} KB)`);
for (const x of rows) {
  const met = x.p99 <= BUDGET_MS && (x.js_kb ?? 0) <= JS_BUDGET_KB && x.errors + x.non2xx === 0 ? 'met' : 'MISSED';
  const js = x.js_kb === null ? '–' : x.js_kb.toFixed(1);
  console.log(`${x.page.padEnd(28)} ${String(x.rps).padStart(7)} ${ms(x.p50)} ${ms(x.p90)} ${ms(x.p99)} ${js.padStart(6)}  ${String(x.errors + x.non2xx).padStart(6)}  ${met}`);
}
const file = await writeResults('pages', {
  base,
  products,
  connections,
  duration_s: duration,
  budget_p99_ms: BUDGET_MS,
  budget_js_kb: JS_BUDGET_KB,
  results: rows,
});
console.log(`\nwritten to ${file}`);
