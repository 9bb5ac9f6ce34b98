import type { Kafka } from 'kafkajs';
import { newId } from '../contracts/index.ts';
import { issueToken } from '../edge/index.ts';
import { ensureTopics, type Sql } from '../platform/index.ts';

/** The bench's database: the product's, named with `_bench` after it (`…/flashline` → `…/flashline_bench`). */
export function benchDatabaseUrl(productUrl: string): string {
  const url = new URL(productUrl);
  url.pathname = `${url.pathname}_bench`;
  return url.href;
}

/** The topics and consumer groups of one benchmark run, apart from every other run and from production. */
export function benchNames(tag: string) {
  return {
    topics: {
      intents: `bench-intents-${tag}`,
      decisions: `bench-decisions-${tag}`,
      orderEvents: `bench-order-events-${tag}`,
      deadLetters: `bench-dead-${tag}`,
      /** The join path measured alone: joins that no sequencer reads. */
      joinsAlone: `bench-joins-alone-${tag}`,
      /** Product events of the run's database (see setProductEventsTopic), which its catalog indexer reads. */
      productEvents: `bench-product-events-${tag}`,
    },
    groups: { sequencer: `bench-sequencer-${tag}`, worker: `bench-order-worker-${tag}`, indexer: `bench-catalog-indexer-${tag}` },
  };
}
export type BenchNames = ReturnType<typeof benchNames>;

export async function createTopics(kafka: Kafka, t: BenchNames['topics']): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [
      { name: t.intents, partitions: 32 },
      { name: t.decisions, partitions: 32 },
      { name: t.orderEvents, partitions: 1 },
      { name: t.deadLetters, partitions: 1 },
      { name: t.joinsAlone, partitions: 32 },
      { name: t.productEvents, partitions: 4 },
    ]);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Makes every new session of the database write its product events to `topic` (null: back to product.events), so
 * a run's catalog indexer reads only the run's events, and no other indexer sees them.
 */
export async function setProductEventsTopic(sql: Sql, database: string, topic: string | null): Promise<void> {
  // ALTER DATABASE takes no parameters: the name and the value are quoted here.
  const db = `"${database.replace(/"/g, '""')}"`;
  const value = topic === null ? null : `'${topic.replace(/'/g, "''")}'`;
  await sql.unsafe(`alter database ${db} ${value === null ? 'reset flashline.product_events_topic' : `set flashline.product_events_topic = ${value}`}`);
}

export interface Buyer {
  user_id: string;
  address_id: string;
}

/** The join (and row-lock buy) body of each buyer: request i pays with a test card and ships to buyer i. */
export const buyBody =
  (buyers: readonly Buyer[]) =>
  (i: number): string =>
    `{"payment_method_id":"pm_card_visa","shipping_address_id":"${buyers[i]!.address_id}"}`;

/** The public API's join route of a drop (what every crowd of buyers POSTs to). */
export const joinPath = (dropId: string) => `/api/v1/drops/${dropId}/intents`;

/** The e-mail prefix of a run's users, which clean-up deletes by. */
export const emailPrefix = (tag: string) => `bench-${tag}-`;

/** `n` customers with a shipping address each, bulk-inserted (no password hashing: they never log in). */
export async function createBuyers(sql: Sql, tag: string, n: number): Promise<Buyer[]> {
  const buyers: Buyer[] = [];
  for (let i = 0; i < n; i += 5_000) {
    const users = Array.from({ length: Math.min(5_000, n - i) }, (_, k) => ({
      user_id: newId(),
      email: `${emailPrefix(tag)}${i + k}@bench.test`,
      name: `Buyer ${i + k}`,
      password_hash: 'scrypt$unusable',
    }));
    const addresses = users.map((u) => ({
      address_id: newId(),
      user_id: u.user_id,
      name: u.name,
      line1: '1 Bench Street',
      city: 'Loadville',
      postal_code: '00000',
      country: 'US',
    }));
    await sql`insert into users ${sql(users)}`;
    await sql`insert into addresses ${sql(addresses)}`;
    for (const a of addresses) buyers.push({ user_id: a.user_id, address_id: a.address_id });
  }
  return buyers;
}

export async function createAdmin(sql: Sql, tag: string): Promise<string> {
  const user_id = newId();
  await sql`insert into users (user_id, email, name, password_hash, role)
            values (${user_id}, ${`${emailPrefix(tag)}admin@bench.test`}, 'Bench admin', 'scrypt$unusable', 'admin')`;
  return user_id;
}

export interface Stock {
  product_id: string;
  warehouse_id: string;
}

/** A product with `units` in one warehouse of its own. */
export async function createStock(sql: Sql, tag: string, what: string, units: number): Promise<Stock> {
  const s = { product_id: newId(), warehouse_id: newId() };
  await sql.begin(async (tx) => {
    await tx`set local flashline.product_events = 'off'`; // a bulk load: no product.events for the catalog
    await tx`insert into products (product_id, sku, title, price_cents, currency)
             values (${s.product_id}, ${`BENCH-${tag}-${what}`}, ${`Bench ${what} ${tag}`}, 12500, 'USD')`;
    await tx`insert into warehouses (warehouse_id, name, region) values (${s.warehouse_id}, ${`bench-${tag}-${what}`}, 'bench')`;
    await tx`insert into inventory (product_id, warehouse_id, available_count) values (${s.product_id}, ${s.warehouse_id}, ${units})`;
  });
  return s;
}

/** HS256 bearer tokens signed in-process, one per user, valid for two hours. */
export async function signTokens(userIds: readonly string[], secret: string, role: 'customer' | 'admin' = 'customer') {
  const out: string[] = [];
  for (const user_id of userIds) out.push(await issueToken({ user_id, role }, secret, 7_200));
  return out;
}

/** Creates the drop through the admin API, open at once, its line holding `queueLimit` units' worth of intents. */
export async function createDrop(
  edgeUrl: string,
  adminToken: string,
  productId: string,
  units: number,
  queueLimit: number,
) {
  const res = await fetch(`${edgeUrl}/api/v1/admin/drops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      product_id: productId,
      quantity: units,
      starts_at: new Date().toISOString(),
      per_user_limit: 1,
      hold_seconds: 300,
      queue_limit: queueLimit,
    }),
  });
  const body = (await res.json()) as { drop_id?: string; status?: string };
  if (res.status !== 201 || body.drop_id === undefined) throw new Error(`drop creation failed: ${res.status} ${JSON.stringify(body)}`);
  return { drop_id: body.drop_id, status: body.status };
}
