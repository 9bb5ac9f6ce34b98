import { initDropState, type DropConfig } from '../admission/drop-state.ts';
import { newId } from '../contracts/index.ts';
import { nextOffset } from '../platform/kafka.ts';
import type { Runtime } from '../platform/runtime.ts';
import { tag } from './helpers.ts';

export interface TestDrop extends DropConfig {
  product_id: string;
  warehouse_id: string;
  price_cents: number;
  currency: string;
}

/**
 * A product with stock, and an open drop of it in PostgreSQL and Redis, owned by this test alone.
 * The drop's stock row is taken out of inventory as drop creation does.
 */
export async function createTestDrop(
  rt: Runtime,
  o: {
    quantity: number;
    hold_seconds?: number;
    partition?: number;
    per_user_limit?: number;
    starts_at?: number;
    ends_at?: number;
    /** The intents topic the drop's commands go to, so positions start at its current end. */
    topic?: string;
  },
): Promise<TestDrop> {
  const t = tag();
  const product_id = newId();
  const warehouse_id = newId();
  const drop_id = newId();
  const d: TestDrop = {
    drop_id,
    product_id,
    warehouse_id,
    price_cents: 12_500,
    currency: 'USD',
    quantity: o.quantity,
    hold_seconds: o.hold_seconds ?? 300,
    per_user_limit: o.per_user_limit ?? 1,
    queue_limit: o.quantity * 100,
    starts_at: o.starts_at ?? Date.now() - 1_000,
    ends_at: o.ends_at ?? null,
    partition: o.partition ?? 0,
    status: (o.starts_at ?? 0) > Date.now() ? 'scheduled' : 'open',
  };
  await rt.sql.begin(async (tx) => {
    await tx`insert into products (product_id, sku, title, price_cents, currency)
             values (${product_id}, ${`TEST-${t}`}, ${`Test product ${t}`}, ${d.price_cents}, ${d.currency})`;
    await tx`insert into warehouses (warehouse_id, name, region) values (${warehouse_id}, ${`test-${t}`}, 'test')`;
    await tx`insert into inventory (product_id, warehouse_id, available_count) values (${product_id}, ${warehouse_id}, 0)`;
    await tx`insert into drops (drop_id, product_id, quantity, price_cents, currency, starts_at, ends_at, per_user_limit,
                                hold_seconds, queue_limit, kafka_partition, status)
             values (${drop_id}, ${product_id}, ${d.quantity}, ${d.price_cents}, ${d.currency}, ${new Date(d.starts_at)},
                     ${d.ends_at === null ? null : new Date(d.ends_at)}, ${d.per_user_limit}, ${d.hold_seconds},
                     ${d.queue_limit}, ${d.partition}, ${d.status})`;
    await tx`insert into drop_stock (drop_id, warehouse_id, quantity) values (${drop_id}, ${warehouse_id}, ${d.quantity})`;
  });
  let decided_offset = -1;
  if (o.topic !== undefined) {
    const admin = rt.kafka.admin();
    await admin.connect();
    decided_offset = (await nextOffset(admin, o.topic, d.partition)) - 1;
    await admin.disconnect();
  }
  await initDropState(rt.redis, { ...d, decided_offset });
  return d;
}

/** `n` customers in PostgreSQL (bulk insert, no password hashing), each with a shipping address. */
export async function createTestUsers(rt: Runtime, n: number): Promise<{ user_id: string; address_id: string }[]> {
  const t = tag();
  const users = Array.from({ length: n }, (_, i) => ({
    user_id: newId(),
    email: `buyer-${t}-${i}@example.test`,
    name: `Buyer ${i}`,
    password_hash: 'scrypt$unusable',
  }));
  const addresses = users.map((u) => ({
    address_id: newId(),
    user_id: u.user_id,
    name: u.name,
    line1: '1 Test Street',
    city: 'Testville',
    postal_code: '00000',
    country: 'US',
  }));
  for (let i = 0; i < n; i += 5_000) {
    await rt.sql`insert into users ${rt.sql(users.slice(i, i + 5_000))}`;
    await rt.sql`insert into addresses ${rt.sql(addresses.slice(i, i + 5_000))}`;
  }
  return addresses.map((a) => ({ user_id: a.user_id, address_id: a.address_id }));
}
