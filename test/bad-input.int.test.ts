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
