import { afterAll, describe, expect, it } from 'vitest';
import { edgeApp } from '../edge/server.ts';
import { bearer, json, tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const { app, close } = await edgeApp(rt);
afterAll(async () => {
  await close();
  await rt.redis.quit();
  await rt.sql.end();
});

const email = () => `user-${tag()}@example.test`;

async function register(e = email(), password = 'correct horse battery') {
  const res = await app.request('/api/v1/auth/register', json({ email: e, password, name: 'Test User' }));
  return { res, body: (await res.json()) as { user_id: string; token: string } };
}

describe('accounts', () => {
  it('registers, logs in, and the token opens the signed-in routes', async () => {
    const e = email();
    const reg = await register(e);
    expect(reg.res.status).toBe(201);
    const login = await app.request('/api/v1/auth/login', json({ email: e.toUpperCase(), password: 'correct horse battery' }));
    expect(login.status).toBe(200);
    const { user_id, token } = (await login.json()) as { user_id: string; token: string };
    expect(user_id).toBe(reg.body.user_id);
    const list = await app.request('/api/v1/me/addresses', { headers: bearer(token) });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ addresses: [] });
  });

  it('answers 401 for a wrong password and for an unknown email, with the same message', async () => {
    const e = email();
    await register(e);
    const wrong = await app.request('/api/v1/auth/login', json({ email: e, password: 'not the password' }));
    const unknown = await app.request('/api/v1/auth/login', json({ email: email(), password: 'whatever12' }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    expect(((await wrong.json()) as { detail: string }).detail).toBe(((await unknown.json()) as { detail: string }).detail);
  });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await app.request('/api/v1/me/addresses')).status).toBe(401);
    const { body } = await register();
    const [h, p] = body.token.split('.');
    const forged = `${h}.${p}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    expect((await app.request('/api/v1/me/addresses', { headers: bearer(forged) })).status).toBe(401);
  });

  it('answers 409 for a duplicate email, also when two registrations race', async () => {
    const e = email();
    const [a, b] = await Promise.all([register(e), register(e.toUpperCase())]);
    expect([a.res.status, b.res.status].sort()).toEqual([201, 409]);
    const [row] = await rt.sql<{ n: number }[]>`select count(*)::int as n from users where email = ${e}`;
    expect(row!.n).toBe(1);
  });

  it('stores and lists addresses of the signed-in user only', async () => {
    const alice = await register();
    const bob = await register();
    const address = { name: 'Alice', line1: '1 Main St', city: 'Springfield', postal_code: '12345', country: 'us' };
    const created = await app.request('/api/v1/me/addresses', json(address, bearer(alice.body.token)));
    expect(created.status).toBe(201);
    const { address_id } = (await created.json()) as { address_id: string };
    const mine = (await (await app.request('/api/v1/me/addresses', { headers: bearer(alice.body.token) })).json()) as {
      addresses: { address_id: string; country: string }[];
    };
    expect(mine.addresses.map((a) => [a.address_id, a.country])).toEqual([[address_id, 'US']]);
    const theirs = (await (await app.request('/api/v1/me/addresses', { headers: bearer(bob.body.token) })).json()) as {
      addresses: unknown[];
    };
    expect(theirs.addresses).toEqual([]);
  });
});
