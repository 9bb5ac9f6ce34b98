import type { Hono } from 'hono';
import type { CartAnswer } from '../cart/index.ts';
import { newId } from '../contracts/index.ts';
import type { EdgeEnv } from '../edge/env.ts';
import type { Runtime } from '../platform/runtime.ts';
import { json, tag } from './helpers.ts';

export interface CartProduct {
  price_cents?: number;
  currency?: string;
  /** Units for sale in the product's warehouse; default 100. */
  stock?: number;
  max_per_order?: number | null;
}

/** `n` products of this test alone, each with stock in a warehouse of its own run; their ids in order. */
export async function cartProducts(rt: Runtime, n: number, o: CartProduct = {}): Promise<string[]> {
  const t = tag();
  const warehouse_id = newId();
  const products = Array.from({ length: n }, (_, i) => ({
    product_id: newId(),
    sku: `CART-${t}-${i}`,
    title: `Cart product ${t} ${i}`,
    price_cents: o.price_cents ?? 1_000,
    currency: o.currency ?? 'USD',
    images: rt.sql.json([`https://img.example/${t}/${i}.jpg`]),
    max_per_order: o.max_per_order ?? null,
  }));
  await rt.sql.begin(async (tx) => {
    await tx`insert into warehouses (warehouse_id, name, region) values (${warehouse_id}, ${`cart-${t}`}, 'test')`;
    await tx`insert into products ${tx(products)}`;
    const stock = products.map((p) => ({
      product_id: p.product_id,
      warehouse_id,
      available_count: o.stock ?? 100,
    }));
    await tx`insert into inventory ${tx(stock)}`;
  });
  return products.map((p) => p.product_id);
}

/** One product of this test alone. */
export const cartProduct = async (rt: Runtime, o: CartProduct = {}): Promise<string> =>
  (await cartProducts(rt, 1, o))[0]!;

/** Puts a product in a scheduled drop (PostgreSQL only: what the cart checks). */
export async function scheduleDrop(rt: Runtime, product_id: string): Promise<string> {
  const drop_id = newId();
  await rt.sql`insert into drops (drop_id, product_id, quantity, price_cents, currency, starts_at, queue_limit, kafka_partition)
               values (${drop_id}, ${product_id}, 1, 100, 'USD', ${new Date(Date.now() + 3_600_000)}, 2, 0)`;
  return drop_id;
}

export const cartHeader = (token: string) => ({ 'cart-token': token });

/** Calls to the cart routes of an in-process app, answering status, body and the Set-Cookie header. */
export function cartClient(app: Hono<EdgeEnv>) {
  const call = async <T = CartAnswer>(path: string, init: RequestInit = {}) => {
    const res = await app.request(`/api/v1${path}`, init);
    return { status: res.status, body: (await res.json()) as T, cookie: res.headers.get('set-cookie') };
  };
  const send = (method: string, body: unknown, headers: Record<string, string>): RequestInit => ({
    ...json(body, headers),
    method,
  });
  return {
    get: (headers: Record<string, string> = {}) => call('/cart', { headers }),
    add: (product_id: string, quantity: number, headers: Record<string, string> = {}) =>
      call('/cart/items', send('POST', { product_id, quantity }, headers)),
    patch: (product_id: string, quantity: number, headers: Record<string, string> = {}) =>
      call(`/cart/items/${product_id}`, send('PATCH', { quantity }, headers)),
    remove: (product_id: string, headers: Record<string, string> = {}) =>
      call(`/cart/items/${product_id}`, { method: 'DELETE', headers }),
    call,
  };
}

/** A product's units per line of a cart answer. */
export const quantities = (cart: Pick<CartAnswer, 'items'>): Record<string, number> =>
  Object.fromEntries(cart.items.map((i) => [i.product_id, i.quantity]));
