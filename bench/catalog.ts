import { parseArgs } from 'node:util';
import { prng, seedProductId } from '../catalog/index.ts';
import { autocompletePaths, searchPaths, zipfPicker } from './catalog-queries.ts';
import { loadGets, writeResults, type Load } from './load.ts';

/**
 * `npm run bench:catalog -- [--url [label=]U]… [--products N] [--duration S] [--connections C]`: load on running
 * edges whose database holds `npm run seed:catalog -- --products N`, through the public API only. For each edge
 * (e.g. `--url postgres=http://…:8080 --url elasticsearch=http://…:8081`, one per search engine, side by side):
 * search and autocomplete with a warm cache (a few hundred realistic queries, repeated with Zipf popularity as real
 * traffic does, each asked once before), and search with queries never asked before (the engine itself; also with
 * one connection: its latency without queueing). Then, on the first edge, product pages that are cached and pages
 * that are not. Each run uses C connections for S seconds. Prints a table; writes bench/results/catalog-<time>.json.
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string', multiple: true, default: ['http://127.0.0.1:8080'] },
    products: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
  },
});
const targets = values.url.map((u) => {
  const at = u.indexOf('=');
  return at < 0 ? { label: 'edge', base: u.replace(/\/$/, '') } : { label: u.slice(0, at), base: u.slice(at + 1).replace(/\/$/, '') };
});
const products = Number(values.products);
const duration = Number(values.duration);
const connections = Number(values.connections);
const runSeed = Date.now() % 2 ** 31;
const r = prng(runSeed);

interface Row extends Load {
  target: string;
  name: string;
  connections: number;
  target_p99_ms: number;
}

async function get(base: string, path: string): Promise<number> {
  const res = await fetch(base + path);
  await res.arrayBuffer();
  return res.status;
}

/**
 * Asks every path once, a few at a time, so the measured run starts with a warm cache. A 503 (the engine shed a
 * search that ran past its statement timeout, as a cold catalog may) is asked again, up to three times.
 */
async function warm(base: string, paths: readonly string[], parallel = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      let status = await get(base, path);
      for (let retry = 0; status === 503 && retry < 3; retry++) status = await get(base, path);
      if (status !== 200) throw new Error(`warm-up got ${status} for ${path}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

async function load(
  t: (typeof targets)[number],
  name: string,
  target: number,
  nextPath: () => string,
  conns = connections,
): Promise<Row> {
  process.stderr.write(`\n${t.label}: ${name}: ${conns} connections, ${duration} s\n`);
  const load = await loadGets({ url: t.base, connections: conns, seconds: duration, next: nextPath });
  return { target: t.label, name, connections: conns, target_p99_ms: target, ...load };
}

for (const t of targets) {
  if ((await get(t.base, `/api/v1/products/${seedProductId(1)}`)) !== 200) {
    console.error(`no seeded product at ${t.base}: run npm run seed:catalog -- --products ${products} first`);
    process.exit(2);
  }
}

const rows: Row[] = [];
const head = searchPaths(300, 1);
const headSet = new Set(head);
const fresh = searchPaths(12_000, runSeed).filter((p) => !headSet.has(p));
let f = 0;
const prefixes = autocompletePaths(200, 2);
for (const t of targets) {
  process.stderr.write(`${t.label}: warming ${head.length} searches and ${prefixes.length} prefixes…\n`);
  await warm(t.base, head);
  await warm(t.base, prefixes);
  const zipfSearch = zipfPicker(head.length, r);
  rows.push(await load(t, 'search, warm cache (300 queries, Zipf)', 50, () => head[zipfSearch()]!));
  const zipfPrefix = zipfPicker(prefixes.length, r);
  rows.push(await load(t, 'autocomplete, warm cache (200 prefixes)', 50, () => prefixes[zipfPrefix()]!));
  rows.push(await load(t, 'search, never-asked queries (engine)', 50, () => fresh[f++ % fresh.length]!));
  rows.push(await load(t, 'search, never-asked, 1 connection', 50, () => fresh[f++ % fresh.length]!, 1));
}

const first = targets[0]!;
const pick = () => 1 + Math.floor(r() * products);
const hot = Array.from({ length: 2_000 }, () => `/api/v1/products/${seedProductId(pick())}`);
await warm(first.base, hot, 8);
rows.push(await load(first, 'product page, cached', 10, () => hot[Math.floor(r() * hot.length)]!));
// Pages never asked in this run: a walk through the ids with a stride coprime to their number.
const stride = 7_919;
let k = Math.floor(r() * products);
rows.push(
  await load(first, 'product page, not cached', 30, () => {
    k = (k + stride) % products;
    return `/api/v1/products/${seedProductId(k + 1)}`;
  }),
);

const ms = (n: number) => n.toFixed(1).padStart(8);
console.log(`\ncatalog benchmark — ${products.toLocaleString('en-US')} products, ${duration} s per run`);
console.log(`${'edge'.padEnd(14)} ${'scenario'.padEnd(40)} ${'conns'.padStart(5)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'target'.padStart(7)}  errors`);
for (const x of rows) {
  const met = x.p99 <= x.target_p99_ms && x.errors + x.non2xx === 0 ? 'met' : 'MISSED';
  console.log(`${x.target.padEnd(14)} ${x.name.padEnd(40)} ${String(x.connections).padStart(5)} ${String(x.rps).padStart(7)} ${ms(x.p50)} ${ms(x.p90)} ${ms(x.p99)} ${`<${x.target_p99_ms}`.padStart(7)}  ${x.errors + x.non2xx} ${met}`);
}
const file = await writeResults('catalog', { targets, products, duration_s: duration, results: rows });
console.log(`\nwritten to ${file}`);
