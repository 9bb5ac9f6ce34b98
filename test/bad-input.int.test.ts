import { afterAll, describe, expect, it } from 'vitest';
import { edgeApp } from '../edge/server.ts';
import { bearer, json, signedIn, tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const { app, close } = await edgeApp(rt);
afterAll(async () => {
  await close();
  await rt.redis.quit();
  await rt.sql.end();
});

const admin = await signedIn(rt, 'admin');
const shopper = await signedIn(rt);

const usersWith = async (email: string) =>
  (await rt.sql<{ n: number }[]>`select count(*)::int as n from users where email = ${email}`)[0]!.n;

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as { status: number; title: string; detail: string; request_id: string };
  expect(body.status).toBe(status);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.request_id).toBe(res.headers.get('x-request-id'));
  return body;
}

describe('bad input', () => {
  it('answers 400 for malformed JSON and writes nothing', async () => {
    const email = `bad-${tag()}@example.test`;
    const res = await app.request('/api/v1/auth/register', json(`{"email":"${email}","password":`));
    expect((await expectProblem(res, 400)).detail).toMatch(/not valid JSON/);
    expect(await usersWith(email)).toBe(0);
  });

  it('answers 400 naming each field of the wrong type', async () => {
    const res = await app.request('/api/v1/auth/register', json({ email: 42, password: ['x'], name: null }));
    const body = (await expectProblem(res, 400)) as unknown as { errors: { field: string }[] };
    expect([...new Set(body.errors.map((e) => e.field))].sort()).toEqual(['email', 'name', 'password']);
  });

  it('answers 400 for unknown fields, so a typo or an injected role is not ignored', async () => {
    const email = `role-${tag()}@example.test`;
    const res = await app.request('/api/v1/auth/register', json({ email, password: 'long enough', name: 'X', role: 'admin' }));
    await expectProblem(res, 400);
    expect(await usersWith(email)).toBe(0);
  });

  it('answers 400 for a body that is not JSON at all', async () => {
    const res = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'email=a@b.c',
    });
    await expectProblem(res, 400);
  });

  it('answers 413 for an oversize body', async () => {
    const big = 'x'.repeat(rt.config.BODY_LIMIT_BYTES + 1);
    const res = await app.request('/api/v1/auth/register', json({ email: 'big@example.test', password: big, name: 'Big' }));
    await expectProblem(res, 413);
  });

  it('answers 400 for a bad address and stores nothing', async () => {
    const reg = await app.request(
      '/api/v1/auth/register',
      json({ email: `addr-${tag()}@example.test`, password: 'long enough', name: 'A' }),
    );
    const { token, user_id } = (await reg.json()) as { token: string; user_id: string };
    const res = await app.request('/api/v1/me/addresses', json({ name: 'A', line1: '', city: 'C', postal_code: 'P', country: 'USA' }, bearer(token)));
    const body = (await expectProblem(res, 400)) as unknown as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(['country', 'line1']);
    const [row] = await rt.sql<{ n: number }[]>`select count(*)::int as n from addresses where user_id = ${user_id}`;
    expect(row!.n).toBe(0);
  });

  it('answers 404 problem+json for an unknown route', async () => {
    await expectProblem(await app.request('/api/v1/nope'), 404);
  });
});

describe('text PostgreSQL cannot hold', () => {
  const count = async (table: 'users' | 'addresses' | 'products' | 'warehouses') =>
    (await rt.sql<{ n: number }[]>`select count(*)::int as n from ${rt.sql(table)}`)[0]!.n;

  /** The fields a 400 names. */
  async function refused(res: Response): Promise<string[]> {
    const body = (await expectProblem(res, 400)) as unknown as { errors: { field: string; message: string }[] };
    for (const e of body.errors) expect(e.message).toMatch(/NUL|lone surrogate/);
    return body.errors.map((e) => e.field).sort();
  }

  it('answers 400 naming the query parameter, on search and autocomplete', async () => {
    expect(await refused(await app.request('/api/v1/products/search?brand=%00'))).toEqual(['brand']);
    expect(await refused(await app.request('/api/v1/products/search?q=lamp%00&category=%00x'))).toEqual(['category', 'q']);
    expect(await refused(await app.request('/api/v1/products/autocomplete?q=la%00'))).toEqual(['q']);
    expect(await refused(await app.request('/api/v1/products/search?%00=1'))).toEqual(['(query)']);
  });

  it('answers 400 naming the path parameter', async () => {
    expect(await refused(await app.request('/api/v1/products/%00'))).toEqual(['product_id']);
    expect(await refused(await app.request('/api/v1/drops/a%00b', { headers: bearer(shopper.token) }))).toEqual(['drop_id']);
    expect(await refused(await app.request('/api/v1/nowhere/%00'))).toEqual(['path']);
  });

  it('answers 400 naming the account and address fields, and stores nothing', async () => {
    const [users, addresses] = [await count('users'), await count('addresses')];
    const email = `nul-${tag()}@example.test`;
    const register = (name: string) => app.request('/api/v1/auth/register', json({ email, password: 'long enough', name }));
    expect(await refused(await register('Ann\u0000'))).toEqual(['name']);
    expect(await refused(await register('Ann \ud800'))).toEqual(['name']);
    const address = { name: 'Ann', line1: '1 Main\u0000St', city: 'C', region: '\u0000', postal_code: '1', country: 'US' };
    expect(await refused(await app.request('/api/v1/me/addresses', json(address, bearer(shopper.token))))).toEqual(['line1', 'region']);
    expect([await count('users'), await count('addresses')]).toEqual([users, addresses]);
  });

  it('answers 400 naming the catalog fields, attribute names and values included, and stores nothing', async () => {
    const [products, warehouses] = [await count('products'), await count('warehouses')];
    const product = (extra: object) =>
      app.request(
        '/api/v1/admin/products',
        json({ sku: `NUL-${tag()}`, title: 'Lamp', price_cents: 100, currency: 'USD', ...extra }, bearer(admin.token)),
      );
    expect(await refused(await product({ title: 'La\u0000mp', brand: '\u0000', description: 'x\u0000' }))).toEqual(['brand', 'description', 'title']);
    expect(await refused(await product({ category_path: ['Home', 'La\u0000mps'] }))).toEqual(['category_path.1']);
    expect(await refused(await product({ attributes: { colour: 're\u0000d', size: '\udc00' } }))).toEqual(['attributes.colour', 'attributes.size']);
    expect(await refused(await product({ attributes: { 'col\u0000our': 'red' } }))).toEqual(['attributes']);
    expect(await refused(await app.request('/api/v1/admin/warehouses', json({ name: 'W\u0000', region: 'eu' }, bearer(admin.token))))).toEqual(['name']);
    expect([await count('products'), await count('warehouses')]).toEqual([products, warehouses]);
  });
});
