import { newId } from '../contracts/index.ts';
import { type AdminOutcome, createAccountsRepo, ensureAdmin, hashPassword } from '../edge/index.ts';
import type { Drops } from '../admission/index.ts';
import type { Sql } from '../platform/index.ts';

export const demoAccounts = {
  admin: { email: 'admin@flashline.test', password: 'admin-demo-password', name: 'Demo Admin' },
  customer: { email: 'shopper@flashline.test', password: 'shopper-demo-password', name: 'Demo Shopper' },
};

const demoAddress = { name: 'Demo Shopper', line1: '1 Market Street', city: 'San Francisco', region: 'CA', postal_code: '94105', country: 'US' };

const warehouses = [
  { name: 'demo-east', region: 'us-east' },
  { name: 'demo-west', region: 'us-west' },
];

const products = [
  { sku: 'DEMO-SNKR-001', title: 'Aurora Runner limited sneaker', brand: 'Northwind', category: ['Fashion', 'Shoes', 'Sneakers'], price: 18_000, stock: [400, 300] },
  { sku: 'DEMO-HDPH-001', title: 'Wireless noise cancelling headphones', brand: 'Sonora', category: ['Electronics', 'Audio', 'Headphones'], price: 24_900, stock: [50, 40] },
  { sku: 'DEMO-LAPT-001', title: 'Ultralight 14 inch laptop', brand: 'Vertex', category: ['Electronics', 'Computers', 'Laptops'], price: 129_900, stock: [12, 8] },
  { sku: 'DEMO-MUG-001', title: 'Stoneware coffee mug', brand: 'Kiln & Co', category: ['Home', 'Kitchen', 'Mugs'], price: 1_800, stock: [200, 0] },
  { sku: 'DEMO-TENT-001', title: 'Two person backpacking tent', brand: 'Ridgeline', category: ['Outdoors', 'Camping', 'Tents'], price: 32_000, stock: [0, 15] },
];

/** The demo drop: units of the first product, opening a minute after start so a person can join and watch. */
const demoDrop = { sku: 'DEMO-SNKR-001', quantity: 100, startsInSeconds: 60, topUpTo: 700 };

/** The demo admin's id; an account of another role holding its email is not promoted behind anyone's back. */
function demoAdminId(outcome: AdminOutcome): string {
  switch (outcome.kind) {
    case 'created':
      return outcome.user_id;
    case 'already_admin':
    case 'promoted':
      return outcome.account.user_id;
    case 'refused':
    case 'needs_password':
      throw new Error(
        `${demoAccounts.admin.email} is held by a non-admin account; remove it, or promote it with npm run admin:create -- --promote`,
      );
  }
}

/**
 * Loads a small demo data set: two warehouses, a few products with stock, one admin, one customer,
 * and an upcoming drop (a new one when the last has ended or sold out, its stock topped up first).
 * Idempotent otherwise: existing rows stay.
 */
export async function seedDemo(sql: Sql, drops: Drops): Promise<{ drop_id: string }> {
  const accounts = createAccountsRepo(sql);
  const { admin, customer } = demoAccounts;
  const adminId = demoAdminId(await ensureAdmin(accounts, admin, false));
  if (!(await accounts.findByEmail(customer.email))) {
    const userId = await accounts
      .createUser({ ...customer, role: 'customer', password_hash: await hashPassword(customer.password) })
      .catch((err: { kind?: string }) => {
        if (err.kind !== 'conflict') throw err;
      });
    if (userId !== undefined) await accounts.addAddress(userId, demoAddress);
  }
  const productId = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(4242)`;
    for (const w of warehouses) {
      await tx`insert into warehouses (warehouse_id, name, region) values (${newId()}, ${w.name}, ${w.region})
               on conflict (name) do nothing`;
    }
    const whIds = await tx<{ warehouse_id: string }[]>`
      select warehouse_id from warehouses where name in ${tx(warehouses.map((w) => w.name))} order by name`;
    for (const p of products) {
      const [row] = await tx<{ product_id: string }[]>`
        insert into products (product_id, sku, title, description, category_path, price_cents, currency, brand)
        values (${newId()}, ${p.sku}, ${p.title}, ${`${p.title} by ${p.brand}.`}, ${p.category}, ${p.price}, 'USD', ${p.brand})
        on conflict (sku) do nothing returning product_id`;
      if (!row) continue;
      for (const [i, count] of p.stock.entries()) {
        await tx`insert into inventory (product_id, warehouse_id, available_count)
                 values (${row.product_id}, ${whIds[i]!.warehouse_id}, ${count})`;
      }
    }
    const [product] = await tx<{ product_id: string }[]>`select product_id from products where sku = ${demoDrop.sku}`;
    await tx`update inventory set available_count = ${demoDrop.topUpTo}, updated_at = now()
             where product_id = ${product!.product_id} and warehouse_id = ${whIds[0]!.warehouse_id}
               and available_count < ${demoDrop.quantity}`;
    return product!.product_id;
  });
  const [current] = await sql<{ drop_id: string }[]>`
    select drop_id from drops where product_id = ${productId} and status in ('scheduled', 'open')
    order by starts_at desc limit 1`;
  if (current) {
    await drops.load(current.drop_id);
    return current;
  }
  const created = await drops.create(
    {
      product_id: productId,
      quantity: demoDrop.quantity,
      starts_at: new Date(Date.now() + demoDrop.startsInSeconds * 1000).toISOString(),
      per_user_limit: 1,
      hold_seconds: 300,
    },
    adminId,
  );
  return { drop_id: created.drop_id };
}
