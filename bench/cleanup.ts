import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { dropTag } from '../contracts/index.ts';
import type { Sql } from '../platform/index.ts';
import type { BenchNames } from './setup.ts';
import { emailPrefix } from './setup.ts';

/** VACUUM (ANALYZE) of some tables, one at a time (VACUUM cannot run inside a transaction). */
export async function vacuum(sql: Sql, tables: readonly string[]): Promise<void> {
  for (const t of tables) await sql`vacuum (analyze) ${sql(t)}`;
}

/**
 * ANALYZE of some tables every `everyMs` until stopped (one pass at a time), as autovacuum would on a database
 * that runs it: the drop grows its tables a thousandfold in seconds, and the planner, left with the statistics
 * of nearly empty tables, nested a sequential scan of orders inside one of order items (50–90 ms a statement at
 * 1,000 orders, PostgreSQL's CPU up from 1.2 to 10 seconds a drop).
 */
export function keepAnalyzed(sql: Sql, tables: readonly string[], everyMs = 1_000) {
  let running = true;
  let failure: Error | undefined;
  const loop = (async () => {
    while (running && failure === undefined) {
      await new Promise((r) => setTimeout(r, everyMs));
      if (running) await sql`analyze ${sql(tables as string[])}`.catch((err: unknown) => (failure = err instanceof Error ? err : new Error(String(err))));
    }
  })();
  return {
    /** Stops, and throws the error of a pass that failed. */
    stop: async () => {
      running = false;
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

/** Every Redis key of a drop (those of `dropKeys`, rate limits and locks alike: they share its hash tag). */
export async function deleteDropKeys(redis: Redis, dropId: string): Promise<void> {
  const match = `${dropTag(dropId)}:*`;
  for await (const keys of redis.scanStream({ match, count: 1_000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

/**
 * Deletes everything a run made: its Kafka topics, its drops' Redis keys, its rows in PostgreSQL (users and
 * addresses with their carts and idempotency keys, drops and intents, cart checkouts with their reservations, orders
 * with their items, events, payments, refunds, returns and shipments, reservations, outbox messages, products,
 * stock). Each part is tried even when another fails.
 */
export async function cleanUp(o: {
  sql: Sql;
  redis: Redis;
  kafka: Kafka;
  tag: string;
  names: BenchNames;
  dropIds: string[];
  productIds: string[];
}): Promise<string[]> {
  const failures: string[] = [];
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      failures.push(`${what}: ${(err as Error).message}`);
    }
  };
  const { sql, redis } = o;

  await attempt('kafka topics', async () => {
    const admin = o.kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: Object.values(o.names.topics).filter((t) => existing.has(t)) });
    await admin.disconnect();
  });
  for (const dropId of o.dropIds) await attempt('redis keys', () => deleteDropKeys(redis, dropId));
  const users = `${emailPrefix(o.tag)}%`;
  await attempt('postgres rows', () =>
    sql.begin(async (tx) => {
      await tx`set local flashline.product_events = 'off'`;
      await tx`create temp table bench_orders on commit drop as
               select order_id from orders where user_id in (select user_id from users where email like ${users})`;
      await tx`update drop_intents set order_id = null where drop_id = any(${o.dropIds}::uuid[])`;
      await tx`delete from refunds where order_id in (select order_id from bench_orders)`;
      await tx`delete from returns where order_id in (select order_id from bench_orders)`;
      await tx`delete from shipment_events where shipment_id in (select shipment_id from shipments where order_id in (select order_id from bench_orders))`;
      await tx`delete from shipments where order_id in (select order_id from bench_orders)`;
      await tx`delete from payments where user_id in (select user_id from users where email like ${users})`;
      await tx`delete from order_events where order_id in (select order_id from bench_orders)`;
      await tx`delete from order_items where order_id in (select order_id from bench_orders)`;
      await tx`delete from orders where order_id in (select order_id from bench_orders)`;
      await tx`create temp table bench_checkouts on commit drop as
               select checkout_id from checkouts where user_id in (select user_id from users where email like ${users})`;
      await tx`delete from checkout_reservations where checkout_id in (select checkout_id from bench_checkouts)`;
      await tx`delete from checkouts where checkout_id in (select checkout_id from bench_checkouts)`;
      await tx`delete from saga_leases where saga_id in (select checkout_id from bench_checkouts)`;
      await tx`delete from idempotency_keys where user_id in (select user_id from users where email like ${users})`;
      for (const table of ['reservations', 'drop_intents', 'drop_stock', 'drops']) {
        await tx`delete from ${tx(table)} where drop_id = any(${o.dropIds}::uuid[])`;
      }
      await tx`delete from outbox where topic = ${o.names.topics.orderEvents}`;
      // product.events the catalog's triggers wrote for the run's products and stock
      await tx`delete from outbox where key = any(${o.productIds}::text[])`;
      if (o.productIds.length > 0) {
        const ws = await tx<{ warehouse_id: string }[]>`
          delete from inventory where product_id = any(${o.productIds}::uuid[]) returning warehouse_id`;
        await tx`delete from products where product_id = any(${o.productIds}::uuid[])`;
        await tx`delete from warehouses where warehouse_id = any(${ws.map((w) => w.warehouse_id)}::uuid[])`;
      }
    }),
  );
  // Each deleted user is checked against the tables that reference it, some without an index on the user:
  // their dead rows go first (this PostgreSQL may run without autovacuum), then the users.
  await attempt('vacuum', () => vacuum(sql, ['drop_intents', 'payments', 'orders', 'reservations', 'checkouts', 'idempotency_keys', 'outbox']));
  await attempt('users', () =>
    sql.begin(async (tx) => {
      await tx`delete from addresses where user_id in (select user_id from users where email like ${users})`;
      await tx`delete from users where email like ${users}`;
    }),
  );
  await attempt('vacuum', () => vacuum(sql, ['users', 'addresses', 'order_items', 'order_events', 'inventory', 'products']));
  return failures;
}
