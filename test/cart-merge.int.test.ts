import { afterAll, describe, expect, it } from 'vitest';
import type { CartAnswer, MergeReport } from '../cart/index.ts';
import { createAccountsRepo } from '../edge/accounts/repo.ts';
import { hashPassword } from '../edge/auth/password.ts';
import { issueToken } from '../edge/auth/tokens.ts';
import { edgeApp } from '../edge/server.ts';
import { cartClient, cartHeader, cartProduct, cartProducts, quantities } from './cart-fixtures.ts';
import { bearer, json, tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const { app, close } = await edgeApp(rt);
const cart = cartClient(app);
afterAll(async () => {
  await close();
  await rt.redis.quit();
  await rt.sql.end();
});

type SignIn = { user_id: string; token: string; cart?: CartAnswer; merge?: MergeReport | null };
const password = 'correct horse battery';

async function register(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const email = `cart-${tag()}@example.test`;
  const res = await app.request(
    '/api/v1/auth/register',
    json({ email, password, name: 'Cart Shopper', ...extra }, headers),
  );
  return {
    email,
    status: res.status,
    body: (await res.json()) as SignIn,
    cookie: res.headers.get('set-cookie'),
  };
}

async function login(
  email: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const res = await app.request('/api/v1/auth/login', json({ email, password, ...extra }, headers));
  return { status: res.status, body: (await res.json()) as SignIn, cookie: res.headers.get('set-cookie') };
}

/** A shopper who logs in with `password`, made without the API: one password hash for the whole file. */
const passwordHash = hashPassword(password);
async function signUp() {
  const email = `cart-${tag()}@example.test`;
  const user_id = await createAccountsRepo(rt.sql).createUser({
    email,
    name: 'Cart Shopper',
    password_hash: await passwordHash,
    role: 'customer',
  });
  return { email, body: { user_id, token: await issueToken({ user_id, role: 'customer' }, rt.config.JWT_SECRET, 3_600) } };
}

/** A guest cart holding the given units of each product; its token and id. */
async function guestCart(lines: [string, number][]) {
  const [[first, n], ...rest] = lines as [[string, number], ...[string, number][]];
  const created = await cart.add(first, n);
  const token = created.body.cart_token!;
  for (const [id, q] of rest) expect((await cart.add(id, q, cartHeader(token))).status).toBe(200);
  return { token, cart_id: created.body.cart_id! };
}

async function guestCartGone(cart_id: string) {
  const [row] = await rt.sql<
    { n: number }[]
  >`select count(*)::int as n from carts where cart_id = ${cart_id}`;
  expect(row!.n).toBe(0);
  expect(await rt.redis.hget(`cart:{${cart_id}}`, 'gone')).toBe('1');
}

describe('merge on sign-in', () => {
  it('merges once when two logins with the same guest token race, losing no line', async () => {
    for (let round = 0; round < 10; round++) {
      const [a, b] = await cartProducts(rt, 2);
      const user = await signUp();
      await cart.add(a!, 2, bearer(user.body.token));
      const guest = await guestCart([
        [a!, 3],
        [b!, 1],
      ]);
      const both = await Promise.all([
        login(user.email, { cart_token: guest.token }),
        login(user.email, { cart_token: guest.token }),
      ]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      const merges = both.map((r) => r.body.merge);
      expect(merges.filter((m) => m === null)).toHaveLength(1);
      expect(merges.find((m) => m !== null)).toEqual({ merged_lines: 2, capped: [] });
      expect(quantities(both.find((r) => r.body.cart)!.body.cart!)).toEqual({ [a!]: 5, [b!]: 1 });
      expect(quantities((await cart.get(bearer(user.body.token))).body)).toEqual({ [a!]: 5, [b!]: 1 });
      expect((await cart.get(cartHeader(guest.token))).body.cart_id).toBeNull();
      await guestCartGone(guest.cart_id);
    }
    // Twenty logins, each an OWASP-strength scrypt hash (about half a second of a core).
  }, 120_000);

  it('merges on register too, and answers the merged cart', async () => {
    const a = await cartProduct(rt, { price_cents: 250 });
    const guest = await guestCart([[a, 2]]);
    const res = await register({ cart_token: guest.token });
    expect(res.status).toBe(201);
    expect(res.body.merge).toEqual({ merged_lines: 1, capped: [] });
    expect(res.body.cart).toMatchObject({ subtotal_cents: 500, item_count: 2, version: 1 });
    expect(res.body.cart!.cart_token).toBeUndefined();
    expect(res.cookie).toMatch(/^cart_token=; Max-Age=0/);
    await guestCartGone(guest.cart_id);
  });

  it('takes the guest token from the cookie or the Cart-Token header', async () => {
    const [a, b] = await cartProducts(rt, 2);
    const user = await signUp();
    const viaCookie = await guestCart([[a!, 1]]);
    const first = await login(user.email, {}, { cookie: `cart_token=${viaCookie.token}` });
    expect(first.body.merge).toEqual({ merged_lines: 1, capped: [] });
    expect(first.cookie).toMatch(/^cart_token=; Max-Age=0/);
    const viaHeader = await guestCart([[b!, 1]]);
    const second = await login(user.email, {}, cartHeader(viaHeader.token));
    expect(quantities(second.body.cart!)).toEqual({ [a!]: 1, [b!]: 1 });
  });

  it('signs in with merge: null for a forged or stale token, and answers as before without one', async () => {
    const user = await signUp();
    const forged = await login(user.email, { cart_token: 'e30.forged' });
    expect(forged.status).toBe(200);
    expect(forged.body.merge).toBeNull();
    expect(forged.body.cart).toBeUndefined();
    const guest = await guestCart([[await cartProduct(rt), 1]]);
    expect((await login(user.email, { cart_token: guest.token })).body.merge).not.toBeNull();
    expect((await login(user.email, { cart_token: guest.token })).body.merge).toBeNull();
    const plain = await login(user.email);
    expect(Object.keys(plain.body).sort()).toEqual(['token', 'user_id']);
    expect(plain.cookie).toBeNull();
    expect((await login(user.email, { cart_token: guest.token, remember: true })).status).toBe(400);
  });
});

describe('POST /cart/merge', () => {
  const merge = (token: string | undefined, cart_token: unknown) =>
    cart.call<CartAnswer & { merge: MergeReport; status: number }>(
      '/cart/merge',
      json({ cart_token }, token === undefined ? {} : bearer(token)),
    );

  it('caps merged lines at the line limit and at the units for sale, and lists them', async () => {
    const [a] = await cartProducts(rt, 1);
    const [b] = await cartProducts(rt, 1, { stock: 3 });
    const user = await signUp();
    await cart.add(a!, 6, bearer(user.body.token));
    await cart.add(b!, 2, bearer(user.body.token));
    const guest = await guestCart([
      [a!, 6],
      [b!, 2],
    ]);
    const res = await merge(user.body.token, guest.token);
    expect(res.status).toBe(200);
    expect(quantities(res.body)).toEqual({ [a!]: 10, [b!]: 3 });
    expect(res.body.merge).toEqual({
      merged_lines: 2,
      capped: [
        { product_id: a, requested: 12, kept: 10, limit: 'line' },
        { product_id: b, requested: 4, kept: 3, limit: 'stock' },
      ],
    });
    expect(res.body.version).toBe(3);
    expect(res.cookie).toMatch(/^cart_token=; Max-Age=0/);
    await guestCartGone(guest.cart_id);
  });

  it('merges once when two merges of one guest cart race', async () => {
    for (let round = 0; round < 10; round++) {
      const [a, b] = await cartProducts(rt, 2);
      const user = await signUp();
      await cart.add(a!, 1, bearer(user.body.token));
      const guest = await guestCart([
        [a!, 2],
        [b!, 3],
      ]);
      const both = await Promise.all([
        merge(user.body.token, guest.token),
        merge(user.body.token, guest.token),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 404]);
      expect(quantities((await cart.get(bearer(user.body.token))).body)).toEqual({ [a!]: 3, [b!]: 3 });
    }
  });

  it("keeps a guest add that races the merge: in the user's cart when acknowledged, else refused", async () => {
    for (let round = 0; round < 10; round++) {
      const [a, b] = await cartProducts(rt, 2);
      const user = await signUp();
      const guest = await guestCart([[a!, 1]]);
      const [merged, late] = await Promise.all([
        merge(user.body.token, guest.token),
        cart.add(b!, 4, cartHeader(guest.token)),
      ]);
      expect(merged.status).toBe(200);
      const mine = quantities((await cart.get(bearer(user.body.token))).body);
      if (late.status === 200) expect(mine).toEqual({ [a!]: 1, [b!]: 4 });
      else {
        expect(late.status).toBe(404);
        expect(mine).toEqual({ [a!]: 1 });
      }
    }
  });

  it('answers 404 for a cart already merged, or for a forged token, and 401 without sign-in', async () => {
    const user = await signUp();
    const other = await signUp();
    const guest = await guestCart([[await cartProduct(rt), 1]]);
    expect((await merge(undefined, guest.token)).status).toBe(401);
    expect((await merge(user.body.token, guest.token)).status).toBe(200);
    expect((await merge(other.body.token, guest.token)).status).toBe(404);
    expect((await merge(user.body.token, guest.token)).status).toBe(404);
    expect((await merge(user.body.token, 'e30.forged')).status).toBe(404);
    expect((await merge(user.body.token, 42)).status).toBe(400);
  });
});
