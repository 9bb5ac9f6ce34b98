import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createCartCopy } from '../cart/copy.ts';
import { createCarts, type Carts } from '../cart/index.ts';
import { createPageCache } from '../catalog/cache.ts';
import { cachePrefix } from '../catalog/index.ts';
import { newId } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import { cartClient, cartHeader, cartProduct, cartProducts, quantities } from './cart-fixtures.ts';
import { bearer, signedIn, testRuntime } from './helpers.ts';

const rt = testRuntime();
const { app, services, close } = await edgeApp(rt);
const cart = cartClient(app);
const DAY = 86_400_000;
// Nothing listens on port 1: any query through this client fails.
const deadSql = postgres('postgres://postgres@127.0.0.1:1/x', {
  max: 1,
  connect_timeout: 1,
  onnotice: () => {},
});
afterAll(async () => {
  await close();
  await deadSql.end({ timeout: 1 });
  await rt.redis.quit();
  await rt.sql.end();
});

const guestKey = (cart_id: string) => `cart:{${cart_id}}`;
const pageKey = (id: string) => `${cachePrefix(rt.config.DATABASE_URL)}:page:${id}`;
const invalidatePages = (ids: string[]) => services.catalog.pages.invalidate(ids);

/** A cart service over the edge's own clients whose clock runs `ahead` milliseconds in the future. */
const cartsAhead = (ahead: number): Carts =>
  createCarts({
    sql: rt.sql,
    redis: rt.redis,
    products: services.catalog.storefront,
    logger: rt.logger,
    config: rt.config,
    now: () => Date.now() + ahead,
  });

async function seenInPostgres(product_id: string): Promise<number[]> {
  const rows = await rt.sql<
    { seen: number }[]
  >`select price_seen_cents::float8 as seen from cart_items where product_id = ${product_id}`;
  return rows.map((r) => r.seen);
}

describe('cart storage', () => {
  it('keeps an acknowledged change when Redis loses the cart, and refills Redis from PostgreSQL', async () => {
    const [a, b] = await cartProducts(rt, 2);
    const first = await cart.add(a!, 1);
    const token = first.body.cart_token!;
    await cart.add(b!, 2, cartHeader(token));
    const last = await cart.patch(a!, 4, cartHeader(token));
    expect(last.body.version).toBe(3);
    expect(await rt.redis.del(guestKey(first.body.cart_id!))).toBe(1);
    expect((await cart.get(cartHeader(token))).body).toEqual(last.body);
    expect(await rt.redis.hget(guestKey(first.body.cart_id!), 'v')).toBe('3');

    const user = await signedIn(rt);
    const mine = await cart.add(a!, 2, bearer(user.token));
    expect(await rt.redis.del(`cart:{user:${user.user_id}}`)).toBe(1);
    expect((await cart.get(bearer(user.token))).body).toEqual(mine.body);
  });

  it('reads a cart Redis holds, or its absence, without touching PostgreSQL', async () => {
    const [a, b] = await cartProducts(rt, 2, { price_cents: 325 });
    const first = await cart.add(a!, 1);
    const token = first.body.cart_token!;
    const user = await signedIn(rt);
    await cart.add(b!, 3, bearer(user.token));
    const guestView = (await cart.add(b!, 2, cartHeader(token))).body;
    const userView = (await cart.get(bearer(user.token))).body;
    // The pages are cached after the answers; wait for both to land.
    await expect
      .poll(() => rt.redis.exists(pageKey(a!), pageKey(b!)), { timeout: 3_000, interval: 20 })
      .toBe(2);
    const pages = createPageCache({
      redis: rt.redis,
      prefix: cachePrefix(rt.config.DATABASE_URL),
      ttlSeconds: 300,
      load: () => Promise.reject(new Error('a product page was read from PostgreSQL')),
      logger: rt.logger,
    });
    const offline = createCarts({
      sql: deadSql,
      redis: rt.redis,
      products: { page: (id) => pages.get(id) },
      logger: rt.logger,
      config: rt.config,
    });
    expect(await offline.get({ token })).toEqual(guestView);
    expect(await offline.get({ user_id: user.user_id })).toEqual(userView);
    const cartless = await signedIn(rt);
    expect((await cart.get(bearer(cartless.token))).body.cart_id).toBeNull();
    expect((await offline.get({ user_id: cartless.user_id })).cart_id).toBeNull();
    await expect(offline.add({ token }, a!, 1)).rejects.toThrow();
    await rt.redis.del(guestKey(first.body.cart_id!));
    await expect(offline.get({ token })).rejects.toThrow();
  });

  it('never lets an older version replace a newer copy, nor a late write bring back a merged guest cart', async () => {
    const copy = createCartCopy(rt.redis);
    const cart_id = newId();
    const product_id = newId();
    const key = guestKey(cart_id);
    const at = Date.now();
    const version = (v: number, quantity: number) => ({
      cart_id,
      user_id: null,
      currency: 'USD',
      version: v,
      created_at: at,
      updated_at: at,
      expires_at: at + 60_000,
      lines: [
        {
          product_id,
          quantity,
          price_at_add_cents: 100,
          price_seen_cents: 100,
          added_at: at,
          updated_at: at,
        },
      ],
    });
    expect(await copy.write(key, version(2, 5), 60)).toBe(true);
    expect(await copy.write(key, version(1, 9), 60)).toBe(false);
    expect(await copy.write(key, version(2, 7), 60)).toBe(false);
    expect(await copy.read(key)).toEqual({ kind: 'cart', state: version(2, 5), seen: new Map() });
    expect(await copy.markSeen(key, 1, new Map([['p', 1]]))).toBe(false);
    expect(await copy.bury(key, 3, 60)).toBe(true);
    expect(await copy.write(key, version(2, 5), 60)).toBe(false);
    expect(await copy.read(key)).toEqual({ kind: 'gone', version: 3 });
    expect(await rt.redis.ttl(key)).toBeGreaterThan(50);
  });

  it('ends concurrent adds of one product with their sum, and Redis with the newest version', async () => {
    const roomy = await cartProduct(rt, { max_per_order: 40 });
    const user = await signedIn(rt);
    const adds = await Promise.all(Array.from({ length: 30 }, () => cart.add(roomy, 1, bearer(user.token))));
    expect(adds.every((r) => r.status === 200)).toBe(true);
    expect(new Set(adds.map((r) => r.body.version)).size).toBe(30);
    const [row] = await rt.sql<{ version: number; quantity: number }[]>`
      select c.version::int as version, i.quantity from carts c join cart_items i using (cart_id) where c.user_id = ${user.user_id}`;
    expect(row).toEqual({ version: 30, quantity: 30 });
    expect(await rt.redis.hget(`cart:{user:${user.user_id}}`, 'v')).toBe('30');
    expect(quantities((await cart.get(bearer(user.token))).body)).toEqual({ [roomy]: 30 });
  });

  it('stops concurrent adds at the line limit', async () => {
    const product = await cartProduct(rt);
    const first = await cart.add(product, 1);
    const token = first.body.cart_token!;
    const adds = await Promise.all(Array.from({ length: 15 }, () => cart.add(product, 1, cartHeader(token))));
    expect(adds.filter((r) => r.status === 200)).toHaveLength(9);
    expect(adds.filter((r) => r.status === 409)).toHaveLength(6);
    const final = (await cart.get(cartHeader(token))).body;
    expect(quantities(final)).toEqual({ [product]: 10 });
    expect(final.version).toBe(10);
  });
});

describe('price changes', () => {
  it('shows a price change once, marking it seen in Redis only until the next change', async () => {
    const [a, b] = await cartProducts(rt, 2, { price_cents: 500 });
    const first = await cart.add(a!, 2);
    const token = first.body.cart_token!;
    await rt.sql`update products set price_cents = 650 where product_id = ${a!}`;
    await invalidatePages([a!]);
    const shown = (await cart.get(cartHeader(token))).body;
    expect(shown.problems).toEqual([
      { product_id: a, kind: 'price_changed', from_cents: 500, to_cents: 650 },
    ]);
    expect(shown.items[0]).toMatchObject({
      unit_price_cents: 650,
      price_at_add_cents: 500,
      line_total_cents: 1_300,
    });
    expect(shown.subtotal_cents).toBe(1_300);
    expect((await cart.get(cartHeader(token))).body.problems).toEqual([]);
    expect(await seenInPostgres(a!)).toEqual([500]);
    expect((await cart.add(b!, 1, cartHeader(token))).body.problems).toEqual([]);
    expect(await seenInPostgres(a!)).toEqual([650]);
    await rt.redis.del(guestKey(first.body.cart_id!));
    expect((await cart.get(cartHeader(token))).body.problems).toEqual([]);
  });

  it('shows a price change in the answer of a change, and not again', async () => {
    const [a, b] = await cartProducts(rt, 2, { price_cents: 800 });
    const first = await cart.add(a!, 1);
    const token = first.body.cart_token!;
    await rt.sql`update products set price_cents = 720 where product_id = ${a!}`;
    await invalidatePages([a!]);
    const changed = (await cart.add(b!, 1, cartHeader(token))).body;
    expect(changed.problems).toEqual([
      { product_id: a, kind: 'price_changed', from_cents: 800, to_cents: 720 },
    ]);
    expect((await cart.get(cartHeader(token))).body.problems).toEqual([]);
  });
});

describe('cart expiry', () => {
  it('reads a cart whose expires_at has passed as empty, and refuses writes to an expired guest cart', async () => {
    const product = await cartProduct(rt);
    const first = await cart.add(product, 1);
    const token = first.body.cart_token!;
    await rt.sql`update carts set expires_at = now() - interval '1 second' where cart_id = ${first.body.cart_id}`;
    await rt.redis.del(guestKey(first.body.cart_id!));
    const read = await cart.get(cartHeader(token));
    expect(read.body).toMatchObject({ cart_id: null, items: [] });
    expect(await rt.redis.hgetall(guestKey(first.body.cart_id!))).toEqual({ v: '0', gone: '1' });
    expect((await cart.add(product, 1, cartHeader(token))).status).toBe(404);
  });

  it('ends guest carts after 30 days and user carts after 90, whichever copy is read', async () => {
    const product = await cartProduct(rt);
    const guest = await cart.add(product, 1);
    const token = guest.body.cart_token!;
    const user = await signedIn(rt);
    const mine = await cart.add(product, 2, bearer(user.token));
    expect((await cartsAhead(29 * DAY).get({ token })).cart_id).toBe(guest.body.cart_id);
    expect((await cartsAhead(31 * DAY).get({ token })).cart_id).toBeNull();
    expect((await cartsAhead(31 * DAY).get({ user_id: user.user_id })).cart_id).toBe(mine.body.cart_id);
    expect((await cartsAhead(91 * DAY).get({ user_id: user.user_id })).cart_id).toBeNull();
    await rt.redis.del(`cart:{user:${user.user_id}}`);
    expect((await cartsAhead(91 * DAY).get({ user_id: user.user_id })).cart_id).toBeNull();
  });

  it("starts an expired user cart again empty on the user's next add", async () => {
    const [a, b] = await cartProducts(rt, 2);
    const user = await signedIn(rt);
    const before = await cart.add(a!, 2, bearer(user.token));
    const after = await cartsAhead(91 * DAY).add({ user_id: user.user_id }, b!, 1);
    expect(after.cart_id).toBe(before.body.cart_id);
    expect(quantities(after)).toEqual({ [b!]: 1 });
    expect(after.version).toBe(2);
  });
});
