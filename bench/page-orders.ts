import { randomBytes, randomUUID } from 'node:crypto';
import { seedProductId } from '../catalog/index.ts';

/** A shopper of the page bench and the orders it placed, newest last. */
export interface BenchShopper {
  token: string;
  orderIds: string[];
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Registers a shopper of its own (an address in New York) on a running edge and places `orders` orders through the
 * public API, as a shopper would: one seeded product in the cart (products with no stock are passed over), a
 * checkout, the address, the Visa test card at the total shown. Throws when the shop will not take an order.
 */
export async function seedShopperOrders(base: string, orders: number, products: number): Promise<BenchShopper> {
  let token = '';
  const call = async (method: string, path: string, body?: unknown, key?: string): Promise<Reply> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== '') headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key !== undefined) headers['idempotency-key'] = key;
    const res = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  const must = (r: Reply, what: string, status: number) => {
    if (r.status !== status) throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const tag = randomBytes(4).toString('hex');
  const account = { email: `bench-pages-${tag}@example.test`, password: `bench-${tag}-password`, name: 'Page bench shopper' };
  token = must(await call('POST', '/auth/register', account), 'register', 201).token as string;
  const address = { name: 'Page bench', line1: '1 Bench Street', city: 'New York', region: 'NY', postal_code: '10001', country: 'US' };
  const addressId = must(await call('POST', '/me/addresses', address), 'address', 201).address_id as string;

  const orderIds: string[] = [];
  let k = 0;
  while (orderIds.length < orders) {
    if (k >= Math.min(products, orders * 20)) throw new Error(`only ${orderIds.length} of ${orders} orders could be placed`);
    const product_id = seedProductId(1 + (k++ * 7_919) % products);
    if ((await call('POST', '/cart/items', { product_id, quantity: 1 })).status !== 200) continue;
    const begun = await call('POST', '/checkouts', undefined, randomUUID());
    if (begun.status !== 201) {
      await call('DELETE', `/cart/items/${product_id}`);
      continue;
    }
    const id = begun.body.checkout_id as string;
    const priced = must(await call('PATCH', `/checkouts/${id}`, { shipping_address_id: addressId }), 'checkout address', 200);
    const paid = await call('POST', `/checkouts/${id}/complete`, { payment_method_id: 'pm_card_visa', expected_total_cents: priced.total_cents }, randomUUID());
    orderIds.push(must(paid, 'payment', 201).order_id as string);
  }
  return { token, orderIds };
}
