import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import {
  cartClient,
  cartHeader,
  cartProduct,
  cartProducts,
  quantities,
  scheduleDrop,
} from './cart-fixtures.ts';
import { bearer, signedIn, testRuntime } from './helpers.ts';

const rt = testRuntime();
const { app, services, close } = await edgeApp(rt);
const cart = cartClient(app);
/** The catalog indexer is not running here: drop the cached pages of products changed behind its back. */
const invalidatePages = (ids: string[]) => services.catalog.pages.invalidate(ids);
afterAll(async () => {
  await close();
  await rt.redis.quit();
  await rt.sql.end();
});

interface Problem {
  status: number;
  detail: string;
  limit?: string;
  max?: number;
  reason?: string;
  errors?: { field: string; message: string }[];
}

/** A guest cart holding one line of a fresh product; its token and the product. */
async function guestCart(quantity = 1) {
  const product = await cartProduct(rt);
  const first = await cart.add(product, quantity);
  expect(first.status).toBe(200);
  return { token: first.body.cart_token!, product, body: first.body };
}

describe('guest cart', () => {
  it('answers an empty cart without a token and stores nothing', async () => {
    const res = await cart.get();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      cart_id: null,
      items: [],
      subtotal_cents: 0,
      currency: null,
      item_count: 0,
      problems: [],
      version: 0,
    });
    expect(res.cookie).toBeNull();
  });

  it('creates a cart on the first add and hands its token out in the body and an HttpOnly cookie', async () => {
    const [a] = await cartProducts(rt, 1, { price_cents: 1_250, stock: 7 });
    const res = await cart.add(a!, 2);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      subtotal_cents: 2_500,
      currency: 'USD',
      item_count: 2,
      problems: [],
      version: 1,
    });
    expect(res.body.cart_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.items).toEqual([
      {
        product_id: a,
        sku: expect.stringMatching(/^CART-/) as string,
        title: expect.stringMatching(/^Cart product/) as string,
        image: expect.stringMatching(/^https:\/\/img\.example\//) as string,
        quantity: 2,
        unit_price_cents: 1_250,
        price_at_add_cents: 1_250,
        line_total_cents: 2_500,
        available: 7,
      },
    ]);
    expect(res.cookie).toBe(
      `cart_token=${res.body.cart_token}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`,
    );
    const [row] = await rt.sql<{ user_id: string | null; version: string }[]>`
      select user_id, version from carts where cart_id = ${res.body.cart_id}`;
    expect(row).toEqual({ user_id: null, version: '1' });
  });

  it('adds to, sets and removes lines through the cookie or the Cart-Token header', async () => {
    const { token, product: a, body } = await guestCart(1);
    const b = await cartProduct(rt, { price_cents: 300 });
    const viaCookie = await cart.add(a, 2, { cookie: `cart_token=${token}` });
    expect(viaCookie.body).toMatchObject({ cart_id: body.cart_id, cart_token: token, version: 2 });
    expect(quantities(viaCookie.body)).toEqual({ [a]: 3 });
    expect((await cart.add(b, 4, cartHeader(token))).body).toMatchObject({
      subtotal_cents: 3 * 1_000 + 4 * 300,
      item_count: 7,
    });
    const patched = await cart.patch(a, 5, cartHeader(token));
    expect(quantities(patched.body)).toEqual({ [a]: 5, [b]: 4 });
    const removed = await cart.remove(a, cartHeader(token));
    expect(quantities(removed.body)).toEqual({ [b]: 4 });
    const zero = await cart.patch(b, 0, cartHeader(token));
    expect(zero.body).toMatchObject({
      cart_id: body.cart_id,
      items: [],
      subtotal_cents: 0,
      currency: null,
      version: 6,
    });
    expect((await cart.get(cartHeader(token))).body).toEqual(zero.body);
  });

  it('answers the cart unchanged when a line not in it is deleted', async () => {
    const { token, body } = await guestCart();
    const res = await cart.remove(newId(), cartHeader(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(body);
  });

  it('answers 404 for a line not in the cart on PATCH', async () => {
    const { token } = await guestCart();
    const res = await cart.patch(await cartProduct(rt), 2, cartHeader(token));
    expect(res.status).toBe(404);
  });
});

describe('cart tokens', () => {
  it('reads a forged token as an empty cart and clears its cookie', async () => {
    const { token } = await guestCart();
    const forged = `${token.slice(0, -4)}AAAA`;
    const res = await cart.get({ cookie: `cart_token=${forged}` });
    expect(res.body).toMatchObject({ cart_id: null, items: [] });
    expect(res.cookie).toMatch(/^cart_token=; Max-Age=0; Path=\//);
  });

  it('answers 404 to a write with a forged token, or without a cart, and clears the cookie', async () => {
    const { token, product } = await guestCart();
    const forged = await cart.add(product, 1, { cookie: `cart_token=${token.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(404);
    expect(forged.cookie).toMatch(/^cart_token=; Max-Age=0/);
    expect((await cart.patch(product, 1)).status).toBe(404);
    expect((await cart.remove(product)).status).toBe(404);
  });

  it("serves the user's cart to a bearer token, also when a guest token comes with it", async () => {
    const guest = await guestCart(2);
    const user = await signedIn(rt);
    const b = await cartProduct(rt);
    const added = await cart.add(b, 1, { ...bearer(user.token), ...cartHeader(guest.token) });
    expect(added.body.cart_token).toBeUndefined();
    expect(added.cookie).toBeNull();
    expect(quantities(added.body)).toEqual({ [b]: 1 });
    expect(quantities((await cart.get(bearer(user.token))).body)).toEqual({ [b]: 1 });
    expect(quantities((await cart.get(cartHeader(guest.token))).body)).toEqual({ [guest.product]: 2 });
  });

  it('answers 401 to a bad bearer token instead of a guest cart', async () => {
    const res = await cart.get({ authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
  });
});

describe('cart limits', () => {
  it('refuses a 101st line with 409 naming the limit', async () => {
    const ids = await cartProducts(rt, 101);
    const first = await cart.add(ids[0]!, 1);
    const token = first.body.cart_token!;
    for (const id of ids.slice(1, 100)) expect((await cart.add(id, 1, cartHeader(token))).status).toBe(200);
    const over = await cart.call<Problem>('/cart/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...cartHeader(token) },
      body: JSON.stringify({ product_id: ids[100], quantity: 1 }),
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ status: 409, limit: 'lines', max: 100 });
    expect((await cart.get(cartHeader(token))).body.items).toHaveLength(100);
  });

  it('refuses a line beyond 10 units, or beyond the product’s own max_per_order', async () => {
    const { token, product } = await guestCart(8);
    const over = await cart.add(product, 3, cartHeader(token));
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ limit: 'line', product_id: product, max: 10 });
    expect((await cart.patch(product, 11, cartHeader(token))).body).toMatchObject({ limit: 'line', max: 10 });
    const two = await cartProduct(rt, { max_per_order: 2 });
    expect((await cart.add(two, 3, cartHeader(token))).body).toMatchObject({
      limit: 'line',
      product_id: two,
      max: 2,
    });
    const many = await cartProduct(rt, { max_per_order: 25 });
    expect(quantities((await cart.add(many, 25, cartHeader(token))).body)[many]).toBe(25);
    expect(quantities((await cart.get(cartHeader(token))).body)[product]).toBe(8);
  });

  it('refuses a second currency', async () => {
    const { token } = await guestCart();
    const eur = await cartProduct(rt, { currency: 'EUR' });
    const res = await cart.add(eur, 1, cartHeader(token));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ limit: 'currency', currency: 'USD' });
  });

  it('refuses a product in a scheduled drop, and stores nothing for a guest without a cart', async () => {
    const product = await cartProduct(rt);
    const drop_id = await scheduleDrop(rt, product);
    const res = await cart.add(product, 1);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ reason: 'in_drop', product_id: product, drop_id });
    expect(res.cookie).toBeNull();
  });

  it('answers 404 for an unknown product and for one whose id is not a UUID', async () => {
    expect((await cart.add(newId(), 1)).status).toBe(404);
    expect((await cart.add('not-a-product', 1)).status).toBe(404);
    const { token } = await guestCart();
    expect((await cart.patch('not-a-product', 1, cartHeader(token))).status).toBe(404);
  });

  it('answers 400 naming the field for a quantity that is not a whole number in range, or an unknown field', async () => {
    const product = await cartProduct(rt);
    const fieldsOf = (res: { body: unknown }) => (res.body as Problem).errors?.map((e) => e.field);
    expect(fieldsOf(await cart.add(product, 0))).toEqual(['quantity']);
    expect(fieldsOf(await cart.add(product, 1.5))).toEqual(['quantity']);
    const { token } = await guestCart();
    const negative = await cart.patch(product, -1, cartHeader(token));
    expect(negative.status).toBe(400);
    expect(fieldsOf(negative)).toEqual(['quantity']);
    const extra = await cart.call<Problem>('/cart/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: product, quantity: 1, price_cents: 1 }),
    });
    expect(extra.status).toBe(400);
  });
});

describe('cart problems', () => {
  it('reports a line asking for more units than are for sale', async () => {
    const product = await cartProduct(rt, { stock: 2 });
    const res = await cart.add(product, 3);
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([
      { product_id: product, kind: 'insufficient_stock', requested: 3, available: 2 },
    ]);
  });

  it('keeps the line of a product deleted or put in a drop, priced 0 and out of the subtotal', async () => {
    const [gone, dropped, kept] = await cartProducts(rt, 3, { price_cents: 400 });
    const first = await cart.add(gone!, 1);
    const token = first.body.cart_token!;
    await cart.add(dropped!, 2, cartHeader(token));
    await cart.add(kept!, 1, cartHeader(token));
    await rt.sql`delete from products where product_id = ${gone!}`;
    await scheduleDrop(rt, dropped!);
    await invalidatePages([gone!, dropped!]);
    const res = (await cart.get(cartHeader(token))).body;
    expect(res.subtotal_cents).toBe(400);
    expect(
      res.items.map((i) => [i.product_id, i.sku === null, i.unit_price_cents, i.line_total_cents]),
    ).toEqual([
      [gone, true, 0, 0],
      [dropped, false, 0, 0],
      [kept, false, 400, 400],
    ]);
    expect(res.problems).toEqual([
      { product_id: gone, kind: 'unavailable', reason: 'gone' },
      { product_id: dropped, kind: 'unavailable', reason: 'in_drop' },
    ]);
    const grow = await cart.patch(dropped!, 3, cartHeader(token));
    expect(grow.status).toBe(409);
    expect(quantities((await cart.patch(dropped!, 1, cartHeader(token))).body)[dropped!]).toBe(1);
  });
});
