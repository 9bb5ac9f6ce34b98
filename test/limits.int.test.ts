import { serve } from '@hono/node-server';
import { randomBytes, scryptSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccountsRepo } from '../edge/accounts/repo.ts';
import { edgeApp } from '../edge/server.ts';
import { loadConfig } from '../platform/config.ts';
import { createRuntime } from '../platform/runtime.ts';
import { addProducts, word } from './catalog-fixtures.ts';
import { tag } from './helpers.ts';

// Small limits, and the edge behind a trusted proxy on 127.0.0.1, so each test is its own set of clients
// (X-Forwarded-For) on a real socket.
const rt = createRuntime({
  ...loadConfig(),
  TRUST_PROXY: ['127.0.0.1'],
  AUTH_LIMIT_PER_IP: 4,
  AUTH_LIMIT_PER_ACCOUNT: 3,
  AUTH_LIMIT_WINDOW_SECONDS: 120,
  PASSWORD_HASH_CONCURRENCY: 1,
  PASSWORD_HASH_WAIT_MS: 0,
  SEARCH_LIMIT_PER_IP: 5,
  SEARCH_LIMIT_WINDOW_SECONDS: 60,
  SEARCH_CONCURRENCY: 1,
  SEARCH_WAIT_MS: 0,
});
const edge = await edgeApp(rt);
const server = serve({ fetch: edge.app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await edge.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/** A client address of its own (TEST-NET-2 or an IPv6 documentation address). */
const client = () => {
  const [a, b] = randomBytes(2);
  return Math.random() < 0.5 ? `198.51.${a}.${b}` : `2001:db8:${a!.toString(16)}:${b!.toString(16)}::9`;
};

const call = (from: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-forwarded-for': from, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const login = (from: string, email: string, password: string) => call(from, '/api/v1/auth/login', { email, password });
const register = (from: string, email: string, password = 'correct horse battery') =>
  call(from, '/api/v1/auth/register', { email, password, name: 'Limit Tester' });
const email = () => `limit-${tag()}@example.test`;

/** The problem document of a refusal with its Retry-After, checked against the status. */
async function refusal(res: Response, status: number) {
  const body = (await res.json()) as { status: number; detail: string; retry_after: number };
  expect(res.status, body.detail).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(body.status).toBe(status);
  expect(res.headers.get('retry-after')).toBe(String(body.retry_after));
  return body;
}

describe('sign-in limits', () => {
  it('refuses sign-ins to one account beyond the limit, from any address and with the right password too', async () => {
    const e = email();
    expect((await register(client(), e)).status).toBe(201);
    expect((await login(client(), e, 'wrong password')).status).toBe(401);
    expect((await login(client(), e, 'wrong again')).status).toBe(401);
    const body = await refusal(await login(client(), e, 'correct horse battery'), 429);
    expect(body.detail).toMatch(/for this account/);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(120);
    expect((await register(client(), e)).status).toBe(429);
    // Email case does not make another account.
    expect((await login(client(), e.toUpperCase(), 'correct horse battery')).status).toBe(429);
  });

  it('refuses sign-ins from one address beyond the limit, while other addresses go on', async () => {
    const from = client();
    for (let i = 0; i < 4; i++) expect((await login(from, email(), 'not the password')).status).toBe(401);
    expect((await refusal(await login(from, email(), 'not the password'), 429)).detail).toMatch(/from this address/);
    expect((await register(from, email())).status).toBe(429);
    expect((await login(client(), email(), 'not the password')).status).toBe(401);
  });

  it('does not count malformed sign-ins, which never reach a password', async () => {
    const from = client();
    for (let i = 0; i < 6; i++) expect((await call(from, '/api/v1/auth/login', { email: 'nope', password: '' })).status).toBe(400);
    expect((await login(from, email(), 'not the password')).status).toBe(401);
  });

  it('checks the limits before any password is hashed, and sheds sign-ins while every hash slot is busy', async () => {
    const spent = client();
    for (let i = 0; i < 4; i++) expect((await login(spent, email(), 'not the password')).status).toBe(401);
    // One hash at a time and no waiting: while a sign-in hashes, another fresh one is 503. The spent address is
    // told 429 in that same moment, so its limit was checked before it asked for a hash.
    for (let round = 0; ; round++) {
      const hashing = login(client(), email(), 'not the password');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [fresh, limited] = await Promise.all([login(client(), email(), 'x'.repeat(9)), login(spent, email(), 'y'.repeat(9))]);
      expect([401, 503]).toContain((await hashing).status);
      expect(limited.status).toBe(429);
      if (fresh.status === 503) {
        expect((await refusal(fresh, 503)).retry_after).toBe(1);
        break;
      }
      expect(round, 'no sign-in ever found the hash slot busy').toBeLessThan(10);
    }
  });

  it('hashes a password again at login when its stored hash is weaker than today', async () => {
    const e = email();
    const salt = randomBytes(16);
    const weak = ['scrypt', 16384, 8, 1, salt.toString('base64url'), scryptSync('old password 1', salt, 32, { N: 16384 }).toString('base64url')].join('$');
    const accounts = createAccountsRepo(rt.sql);
    await accounts.createUser({ email: e, name: 'Old Hash', password_hash: weak, role: 'customer' });
    expect((await login(client(), e, 'old password 1')).status).toBe(200);
    const stored = (await accounts.findByEmail(e))!.password_hash;
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await login(client(), e, 'old password 1')).status).toBe(200);
    expect((await accounts.findByEmail(e))!.password_hash).toBe(stored);
  });
});

describe('search limits', () => {
  it('refuses searches and autocompletes from one address beyond the limit, counting only valid ones', async () => {
    const from = client();
    for (let i = 0; i < 3; i++) expect((await call(from, '/api/v1/products/search?page_size=1000')).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await call(from, `/api/v1/products/search?q=${word(6)}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await call(from, `/api/v1/products/autocomplete?q=${word(6)}`)).status).toBe(200);
    const body = await refusal(await call(from, '/api/v1/products/search?q=lamp'), 429);
    expect(body.detail).toMatch(/too many searches/);
    expect((await call(from, '/api/v1/products/autocomplete?q=la')).status).toBe(429);
    expect((await call(client(), '/api/v1/products/search?q=lamp')).status).toBe(200);
  });

  it('answers 503 with Retry-After to a search nobody asked before while the uncached searches are all busy, and cached ones still', async () => {
    const w = word();
    await addProducts(rt, edge.services.catalog, [{ title: `${w} desk lamp` }]);
    const cached = `/api/v1/products/search?q=${w}`;
    expect((await call(client(), cached)).status).toBe(200);
    // The products table locked: the next uncached search holds the one slot, waiting for the lock.
    let unlock!: () => void;
    const locked = new Promise<void>((resolve) => (unlock = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const lock = rt.sql.begin(async (tx) => {
      await tx`lock table products in access exclusive mode`;
      held();
      await locked;
    });
    await holding;
    const slow = call(client(), `/api/v1/products/search?q=${w}&sort=price_asc`);
    await expect
      .poll(async () => (await rt.sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`).length)
      .toBeGreaterThan(0);
    expect((await refusal(await call(client(), `/api/v1/products/search?q=${w}&sort=newest`), 503)).retry_after).toBe(1);
    expect((await call(client(), `/api/v1/products/autocomplete?q=${word(5)}`)).status).toBe(503);
    expect((await call(client(), cached)).status).toBe(200);
    unlock();
    await lock;
    expect((await slow).status).toBe(200);
    expect((await call(client(), `/api/v1/products/search?q=${w}&sort=newest`)).status).toBe(200);
  });
});
