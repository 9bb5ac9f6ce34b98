import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { auditAllCheckouts } from '../audit/index.ts';
import { stripeFromConfig } from '../checkout/index.ts';
import { newId } from '../contracts/index.ts';
import { ensureDatabase, migrate, readMigrations } from '../db/index.ts';
import type { Sql } from '../platform/index.ts';
import { startChild, type Child } from './children.ts';
import { runAvailability } from './checkout-availability.ts';
import { demandOf, DESTINATIONS, parseCheckoutArgs, planCarts, planStock, REGIONS } from './checkout-plan.ts';
import { checkoutTable, summarizeCheckout, type CheckoutVerdict } from './checkout-report.ts';
import { runShoppers } from './checkout-shoppers.ts';
import { cleanUp, vacuum } from './cleanup.ts';
import { cpuSnapshot, cpuUsage } from './cpu.ts';
import type { EngineChildReady, EngineChildSpec } from './engine-child.ts';
import { startBenchRun } from './run.ts';
import { createBuyers, createTopics, setProductEventsTopic, signTokens } from './setup.ts';

/**
 * `npm run bench:checkout -- [--shoppers N] [--concurrency C] ...`: N shoppers with 1-5 line carts, C at a time,
 * through the public API (cart, checkout, address and option, payment) over a catalog whose hottest products have
 * less stock than demand; then availability answers under autocannon. The platform (edge, order worker, catalog
 * indexer, stripe-local) runs in child processes on the run's own database (`<db>_bench`) and topics. Prints a
 * table, writes the figures as JSON, cleans up, and exits 1 when a unit was oversold or a payment kept without an
 * order.
 */
const { args, command, date, tag, names, logDir, rt, database, step } = await startBenchRun('bench:checkout', parseCheckoutArgs);
const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' };
const TABLES = ['users', 'addresses', 'carts', 'cart_items', 'checkouts', 'checkout_reservations', 'payments', 'orders', 'order_items',
  'order_events', 'outbox', 'inventory', 'products', 'idempotency_keys', 'saga_leases'];
const children: Child[] = [];
const productIds: string[] = [];
let exitCode = 1;

const own = () => new Map<number, string>([[process.pid, 'load generator'], ...children.map((c): [number, string] => [c.pid, c.name])]);
const cpuSince = (before: ReturnType<typeof cpuSnapshot>) => cpuUsage(before, cpuSnapshot(), own(), database).seconds;

const engineChild = async (role: EngineChildSpec['role']) => {
  const spec: EngineChildSpec = { role, topics: names.topics, groups: names.groups };
  const child = await startChild<EngineChildReady>(role, { file: 'bench/engine-child.ts', env: { ...childEnv, BENCH_CHILD: JSON.stringify(spec) }, logDir });
  children.push(child);
  return child;
};

/** The run's catalog: three warehouses, the products (bulk, no product events) and their planned stock. */
async function createCatalog(sql: Sql, stock: number[][]): Promise<string[]> {
  const warehouses = REGIONS.map((region) => ({ warehouse_id: newId(), name: `bench-${tag}-${region}`, region }));
  const products = stock.map((_, i) => ({
    product_id: newId(),
    sku: `BENCH-${tag}-${i}`,
    title: `Bench checkout product ${i}`,
    price_cents: 1_000 + (i % 50) * 100,
    currency: 'USD',
  }));
  await sql.begin(async (tx) => {
    await tx`set local flashline.product_events = 'off'`;
    await tx`insert into warehouses ${tx(warehouses)}`;
    for (let i = 0; i < products.length; i += 1_000) await tx`insert into products ${tx(products.slice(i, i + 1_000))}`;
    const rows = products.flatMap((p, i) =>
      warehouses.map((w, k) => ({ product_id: p.product_id, warehouse_id: w.warehouse_id, available_count: stock[i]![k]! })),
    );
    for (let i = 0; i < rows.length; i += 3_000) await tx`insert into inventory ${tx(rows.slice(i, i + 3_000))}`;
  });
  return products.map((p) => p.product_id);
}

/** Waits (up to a minute) until no checkout is being paid for, so that the audit judges settled checkouts. */
async function settled(sql: Sql): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from checkouts where status = 'paying'`;
    if (row!.n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function verdict(sql: Sql, initial: number[][]): Promise<CheckoutVerdict> {
  const sold = await sql<{ product_id: string; n: number }[]>`
    select product_id, sum(quantity)::int as n from order_items where product_id = any(${productIds}::uuid[]) group by product_id`;
  const stockOf = new Map(productIds.map((id, i) => [id, initial[i]!.reduce((a, b) => a + b, 0)]));
  const oversold = sold.reduce((n, s) => n + Math.max(0, s.n - (stockOf.get(s.product_id) ?? 0)), 0);
  const [kept] = await sql<{ n: number }[]>`
    select count(*)::int as n from payments where checkout_id is not null and status = 'succeeded' and order_id is null`;
  const audit = await auditAllCheckouts({ sql, stripe: stripeFromConfig({ ...rt.config, STRIPE_API_BASE: childEnv.STRIPE_API_BASE! }), graceMs: 0 });
  return { oversold, paid_without_order: kept!.n, audit_violations: audit.violations };
}

try {
  step(`run ${tag}: ${args.shoppers.toLocaleString('en-US')} shoppers, ${args.concurrency} at a time, ${args.products} products (${args.hot} hot)`);
  await ensureDatabase(rt.config.DATABASE_URL);
  await migrate(rt.sql, await readMigrations());
  await vacuum(rt.sql, TABLES);
  await createTopics(rt.kafka, names.topics);
  await setProductEventsTopic(rt.sql, database, names.topics.productEvents);

  const carts = planCarts(args);
  const stock = planStock(demandOf(carts, args.products), args.hot);
  productIds.push(...(await createCatalog(rt.sql, stock)));
  const buyers = await createBuyers(rt.sql, tag, args.shoppers);
  for (const [k, d] of DESTINATIONS.entries()) {
    const ids = buyers.filter((_, i) => i % DESTINATIONS.length === k).map((b) => b.address_id);
    await rt.sql`update addresses set country = ${d.country}, region = ${d.region} where address_id = any(${ids}::uuid[])`;
  }
  const tokens = await signTokens(buyers.map((b) => b.user_id), rt.config.JWT_SECRET);
  await vacuum(rt.sql, ['users', 'addresses', 'products', 'inventory']);

  step('starting stripe-local, the edge, the order worker and the catalog indexer');
  const stripe = await engineChild('stripe');
  childEnv.STRIPE_API_BASE = stripe.ready.url;
  const edge = await engineChild('edge');
  await engineChild('worker');
  await engineChild('indexer');
  const url = edge.ready.url!;

  step('the shoppers');
  const before = cpuSnapshot();
  const run = await runShoppers({
    url,
    concurrency: args.concurrency,
    shoppers: buyers.map((b, i) => ({
      token: tokens[i]!,
      address_id: b.address_id,
      cart: carts[i]!.map((l) => ({ product_id: productIds[l.product]!, quantity: l.quantity })),
    })),
    progress: (done, r) => step(`  ${done} done: ${r.ordered} orders, ${r.soldOut} sold out, failed ${JSON.stringify(r.failed)}`),
  });
  await settled(rt.sql);
  const cpuShoppers = cpuSince(before);

  step(`availability: ${args.availabilityConnections} connections for ${args.availabilitySeconds} s`);
  const paths = productIds.slice(0, Math.max(args.hot, 40)).map((id, i) => {
    const d = DESTINATIONS[i % DESTINATIONS.length]!;
    return `/api/v1/products/${id}/availability?country=${d.country}${d.region === null ? '' : `&region=${d.region}`}`;
  });
  const beforeAvailability = cpuSnapshot();
  const availability = await runAvailability({ url, paths, connections: args.availabilityConnections, seconds: args.availabilitySeconds });
  const cpuAvailability = cpuSince(beforeAvailability);
  step('the ceiling: a bare Hono GET on the same connections');
  const ceiling = await runAvailability({
    url: edge.ready.bareUrl!,
    paths: ['/bare'],
    connections: args.availabilityConnections,
    seconds: args.availabilitySeconds,
  });

  const results = summarizeCheckout({
    args,
    command,
    date,
    run,
    availability,
    ceiling,
    verdict: await verdict(rt.sql, stock),
    cpu: { shoppers: cpuShoppers, availability: cpuAvailability },
  });
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${checkoutTable(results)}\n`);
  console.log(`machine: ${results.machine.cpus} × ${results.machine.cpu_model}, ${results.machine.memory_gib} GiB, ${results.machine.os}, Node ${results.machine.node}`);
  console.log(`command: ${command}\ndate:    ${date}\nresults: ${args.out}`);
  if (results.audit_violations.length > 0) console.log(`audit violations:\n  ${results.audit_violations.join('\n  ')}`);
  const failed = results.oversold > 0 || results.paid_without_order > 0 || results.audit_violations.length > 0;
  if (failed) console.log(`FAILED: ${results.oversold} oversold, ${results.paid_without_order} paid without an order`);
  exitCode = failed ? 1 : 0;
} catch (err) {
  console.error('bench failed:', err);
} finally {
  step('cleaning up');
  const order = ['edge', 'worker', 'indexer', 'stripe'];
  for (const c of [...children].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))) await c.stop().catch(() => undefined);
  await setProductEventsTopic(rt.sql, database, null).catch((err: unknown) => console.error('clean-up: product events topic', err));
  const failures =
    process.env.BENCH_NO_CLEANUP === '1'
      ? [`left in place (BENCH_NO_CLEANUP): run ${tag}`]
      : await cleanUp({ sql: rt.sql, redis: rt.redis, kafka: rt.kafka, tag, names, dropIds: [], productIds });
  for (const f of failures) console.error(`clean-up: ${f}`);
  if (exitCode === 0 && process.env.BENCH_KEEP_LOGS !== '1') rmSync(logDir, { recursive: true, force: true });
  else console.log(`logs: ${logDir}`);
  await rt.redis.quit();
  await rt.sql.end({ timeout: 5 });
}
process.exit(exitCode);
