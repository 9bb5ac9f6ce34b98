import type { Hono } from 'hono';
import type { CheckoutView, OrderAnswer, ShippingOptionsView } from '../checkout/index.ts';
import { newId } from '../contracts/index.ts';
import type { EdgeEnv } from '../edge/env.ts';
import type { Runtime } from '../platform/runtime.ts';
import { bearer, json, signedIn, tag } from './helpers.ts';

/** Warehouses of this test alone, one per region given (zone names such as us-east); their ids in order. */
export async function warehousesIn(rt: Runtime, regions: readonly string[]): Promise<string[]> {
  const t = tag();
  const rows = regions.map((region, i) => ({ warehouse_id: newId(), name: `checkout-${t}-${i}`, region }));
  await rt.sql`insert into warehouses ${rt.sql(rows)}`;
  return rows.map((r) => r.warehouse_id);
}

/**
 * A product of this test alone with `stock[i]` units for sale in `warehouses[i]` (a row of 0 where 0), at
 * `price_cents` USD unless told otherwise; `quiet` writes it without announcing it on product.events.
 */
export async function stockedProduct(
  rt: Runtime,
  warehouses: readonly string[],
  stock: readonly number[],
  o: { price_cents?: number; currency?: string; quiet?: boolean } = {},
): Promise<string> {
  const t = tag();
  const product_id = newId();
  await rt.sql.begin(async (tx) => {
    // quiet: no product.events for the set-up, so no late invalidation of the product's cached page
    if (o.quiet === true) await tx`set local flashline.product_events = 'off'`;
    await tx`insert into products (product_id, sku, title, price_cents, currency)
             values (${product_id}, ${`CO-${t}`}, ${`Checkout product ${t}`}, ${o.price_cents ?? 1_000}, ${o.currency ?? 'USD'})`;
    const rows = warehouses.map((warehouse_id, i) => ({ product_id, warehouse_id, available_count: stock[i] ?? 0 }));
    await tx`insert into inventory ${tx(rows)}`;
  });
  return product_id;
}

/** A signed-in shopper with an address in `country` (and `region`), its id, token and address id. */
export async function shopper(rt: Runtime, country = 'US', region: string | null = 'NY') {
  const user = await signedIn(rt);
  const address_id = newId();
  await rt.sql`insert into addresses (address_id, user_id, name, line1, city, region, postal_code, country)
               values (${address_id}, ${user.user_id}, 'Shopper', '1 Test Street', 'Testville', ${region}, '00000', ${country})`;
  return { ...user, address_id };
}

export type Shopper = Awaited<ReturnType<typeof shopper>>;

/** Units of a product's inventory row. */
export async function inventoryOf(rt: Runtime, product_id: string, warehouse_id: string) {
  const [row] = await rt.sql<{ available: number; reserved: number }[]>`
    select available_count as available, reserved_count as reserved from inventory
    where product_id = ${product_id} and warehouse_id = ${warehouse_id}`;
  return row;
}

/** A reply of the in-process app: its status and JSON body (a problem document when it failed). */
export interface Reply<T> {
  status: number;
  body: T & { reason?: string; detail?: string; problems?: unknown[]; errors?: { field: string; message: string }[] };
}

/** Calls to the checkout routes of an in-process app as one shopper. */
export function checkoutClient(app: Hono<EdgeEnv>, s: { token: string }) {
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> => {
    const init = body === undefined ? { method, headers: { ...bearer(s.token), ...headers } } : { ...json(body, { ...bearer(s.token), ...headers }), method };
    const res = await app.request(`/api/v1${path}`, init);
    return { status: res.status, body: (await res.json()) as Reply<T>['body'] };
  };
  return {
    call,
    add: (product_id: string, quantity: number) => call('POST', '/cart/items', { product_id, quantity }),
    cart: () => call<{ items: { product_id: string; quantity: number }[] }>('GET', '/cart'),
    begin: (key: string = tag()) => call<CheckoutView>('POST', '/checkouts', undefined, { 'idempotency-key': key }),
    get: (id: string) => call<CheckoutView>('GET', `/checkouts/${id}`),
    patch: (id: string, body: Record<string, unknown>) => call<CheckoutView>('PATCH', `/checkouts/${id}`, body),
    options: (id: string) => call<ShippingOptionsView>('GET', `/checkouts/${id}/shipping-options`),
    complete: (id: string, body: { payment_method_id: string; expected_total_cents: number }, key: string = tag()) =>
      call<OrderAnswer>('POST', `/checkouts/${id}/complete`, body, { 'idempotency-key': key }),
    release: (id: string) => call<CheckoutView>('DELETE', `/checkouts/${id}`),
  };
}
