import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { newId } from '../contracts/index.ts';
import { createLogger, createRedis, createSql, loadConfig, startOrExit, type Sql, type Tx } from '../platform/index.ts';
import { createResultCache } from './cache.ts';
import { copyLine } from './copy-text.ts';
import { progressBar } from './progress.ts';
import { cachePrefix } from './service.ts';
import { SEED_WAREHOUSES } from './seed-data.ts';
import { generateProduct, seedCategoryOrdinal } from './seed-gen.ts';

/**
 * `npm run seed:catalog -- --products N [--reset]`: loads seeded products 1…N (only those missing; --reset deletes
 * every seeded product first) with their stock, grouped by category, by COPY in one transaction: when loading many rows the catalog's
 * secondary indexes are dropped and rebuilt after (the catalog tables are locked meanwhile), the search vocabulary
 * is recounted, the tables analysed and the search caches invalidated. Seeded rows announce nothing on
 * product.events. Prints progress and a summary (rows/s, table and index sizes).
 */
const { values } = parseArgs({ options: { products: { type: 'string', default: '100000' }, reset: { type: 'boolean', default: false } } });
const target = Number(values.products);
if (!Number.isSafeInteger(target) || target < 0 || target > 50_000_000) {
  console.error('--products must be a whole number from 0 to 50,000,000');
  process.exit(2);
}
/** Loading at least this many rows drops and rebuilds the secondary indexes instead of updating them row by row. */
const BULK = 50_000;
const CHUNK = 1_000;

const config = await startOrExit(loadConfig);
const sql = createSql({ ...config, DATABASE_POOL_MAX: 2 });
const timings: [string, number][] = [];
const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  process.stderr.write(`${what}…\n`);
  const out = await f();
  timings.push([what, (performance.now() - started) / 1000]);
  return out;
};

/**
 * Product numbers from…to (inclusive) grouped by leaf category (counting sort), so each category's rows sit
 * together on disk as `CLUSTER products` (on products_category_order) would leave them: most searches then read
 * few pages.
 */
function categoryOrder(from: number, to: number): Uint32Array {
  const ordinals = new Uint16Array(to - from + 1);
  const counts: number[] = [];
  for (let n = from; n <= to; n++) {
    const o = seedCategoryOrdinal(n);
    ordinals[n - from] = o;
    counts[o] = (counts[o] ?? 0) + 1;
  }
  const next: number[] = [];
  for (let o = 0, at = 0; o < counts.length; o++) {
    next[o] = at;
    at += counts[o] ?? 0;
  }
  const order = new Uint32Array(ordinals.length);
  for (let i = 0; i < ordinals.length; i++) order[next[ordinals[i]!]!++] = from + i;
  return order;
}

/** COPYs the lines of the products numbered in `order`, with a progress bar. */
async function copyRows(tx: Tx, label: string, order: Uint32Array, statement: string, lines: (n: number) => string) {
  const bar = progressBar(label, order.length);
  function* chunks() {
    for (let i = 0; i < order.length; i += CHUNK) {
      let chunk = '';
      const end = Math.min(order.length, i + CHUNK);
      for (let k = i; k < end; k++) chunk += lines(order[k]!);
      bar.tick(end - i);
      yield chunk;
    }
  }
  const writable = await tx.unsafe(statement).writable();
  await pipeline(Readable.from(chunks()), writable);
  timings.push([`copy ${label}`, bar.finish()]);
}

async function warehouseIds(db: Sql): Promise<string[]> {
  for (const w of SEED_WAREHOUSES) {
    await db`insert into warehouses (warehouse_id, name, region)
             values (${newId()}, ${w.name}, ${w.region})
             on conflict (name) do nothing`;
  }
  const rows = await db<{ name: string; warehouse_id: string }[]>`
    select name, warehouse_id from warehouses where name in ${db(SEED_WAREHOUSES.map((w) => w.name))}`;
  return SEED_WAREHOUSES.map((w) => rows.find((r) => r.name === w.name)!.warehouse_id);
}

const started = performance.now();
if (values.reset) {
  await timed('deleting seeded products', () =>
    sql.begin(async (tx) => {
      await tx`set local flashline.product_events = 'off'`;
      await tx`delete from products where sku like 'SEED-%'`;
    }),
  );
}
const [{ have } = { have: 0 }] = await sql<{ have: number }[]>`
  select coalesce(max(substr(sku, 6)::int), 0)::int as have from products where sku like 'SEED-%'`;
const first = have + 1;
const count = Math.max(0, target - have);
const warehouses = await warehouseIds(sql);
let inventoryRows = 0;

if (count > 0) {
  const order = await timed('ordering by category', () => Promise.resolve(categoryOrder(first, target)));
  await sql.begin(async (tx) => {
    await tx`set local flashline.product_events = 'off'`;
    await tx`set local maintenance_work_mem = '1GB'`;
    const indexes =
      count < BULK
        ? []
        : await tx<{ name: string; def: string; clustered: string | null }[]>`
            select quote_ident(c.relname) as name, pg_get_indexdef(i.indexrelid) as def,
                   case when i.indisclustered then i.indrelid::regclass::text end as clustered
            from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid in ('products'::regclass, 'inventory'::regclass)
              and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`;
    for (const ix of indexes) await tx.unsafe(`drop index ${ix.name}`);
    await copyRows(
      tx,
      'products',
      order,
      `copy products (product_id, sku, title, description, category_path, price_cents, currency, brand, rating_avg,
                      rating_count, sales_count, images, attributes, created_at, updated_at, in_stock) from stdin`,
      (n) => {
        const p = generateProduct(n);
        return copyLine([p.product_id, p.sku, p.title, p.description, p.category_path, p.price_cents, p.currency,
          p.brand, p.rating_avg, p.rating_count, p.sales_count, { json: p.images }, { json: p.attributes },
          p.created_at, p.created_at, p.in_stock]);
      },
    );
    await copyRows(tx, 'inventory', order, 'copy inventory (product_id, warehouse_id, available_count) from stdin', (n) => {
      const p = generateProduct(n);
      inventoryRows += p.stock.length;
      return p.stock.map((s) => copyLine([p.product_id, warehouses[s.warehouse]!, s.available])).join('');
    });
    for (const ix of indexes) {
      await timed(`index ${ix.name}`, () => tx.unsafe(ix.def));
      if (ix.clustered !== null) await tx.unsafe(`alter table ${ix.clustered} cluster on ${ix.name}`);
    }
  });
}
if (count > 0 || values.reset) {
  await timed('vocabulary (catalog_rebuild_terms)', () => sql`select catalog_rebuild_terms()`);
  await timed('vacuum analyze', () => sql`vacuum (analyze) products, inventory, catalog_terms`);
}

const redis = createRedis(config, createLogger(config, 'seed'));
await createResultCache(redis, createLogger(config, 'seed'), cachePrefix(config.DATABASE_URL)).bump(['search', 'tree']);
await redis.quit();

const sizes = await sql<{ name: string; rows: string; table: string; indexes: string; total: string }[]>`
  select c.relname as name, c.reltuples::bigint::text as rows,
         pg_size_pretty(pg_table_size(c.oid)) as table, pg_size_pretty(pg_indexes_size(c.oid)) as indexes,
         pg_size_pretty(pg_total_relation_size(c.oid)) as total
  from pg_class c where c.relname in ('products', 'inventory', 'catalog_terms') order by c.relname`;
await sql.end();

const secs = (performance.now() - started) / 1000;
const copySecs = timings.filter(([w]) => w.startsWith('copy')).reduce((s, [, t]) => s + t, 0);
console.log(`\nseed:catalog — ${count.toLocaleString('en-US')} products loaded (${first}…${target}), ${inventoryRows.toLocaleString('en-US')} inventory rows`);
console.log(`  total ${secs.toFixed(1)} s; COPY ${Math.round((count + inventoryRows) / Math.max(copySecs, 1e-3)).toLocaleString('en-US')} rows/s; end to end ${Math.round(count / secs).toLocaleString('en-US')} products/s`);
for (const [what, t] of timings) console.log(`  ${what.padEnd(44)} ${t.toFixed(1).padStart(7)} s`);
console.log('\n  table           rows        table     indexes   total');
for (const s of sizes) console.log(`  ${s.name.padEnd(15)} ${s.rows.padStart(10)}  ${s.table.padStart(9)} ${s.indexes.padStart(9)} ${s.total.padStart(9)}`);
