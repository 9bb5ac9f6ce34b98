import { afterAll, describe, expect, it } from 'vitest';
import { cachePrefix, prng } from '../catalog/index.ts';
import { isId, newId } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import { databaseName } from '../platform/index.ts';
import { bearer, signedIn, testRuntime } from './helpers.ts';

// Garbage at every route of the app, from a fixed seed: never a 5xx, never a change of state.
const SEED = 0x15c;
const rt = testRuntime();
const { app, close } = await edgeApp(rt);
const admin = await signedIn(rt, 'admin');
const shopper = await signedIn(rt);
afterAll(async () => {
  await close();
  await rt.redis.quit();
  await rt.sql.end();
});

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
/** Text of random code points, NUL and lone surrogates included. */
const noise = (n: number) => String.fromCharCode(...Array.from({ length: n }, () => int(0x10000)));
const nul = () => `${noise(int(8))}\u0000${noise(int(8))}`;

/** Strings no field of the API accepts: with NUL or a lone surrogate, or longer than any field's maximum. */
const badStrings = [nul, () => `x\ud800${noise(3)}`, () => '\u0000', () => 'y'.repeat(20_000), () => `${'z'.repeat(3_000)}\u0000`];
/** Values of the wrong type for any field, or strings no field accepts. */
const badValue = (depth = 0): unknown =>
  pick<() => unknown>([
    () => pick(badStrings)(),
    () => pick([-1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0]),
    () => pick([true, false, null]),
    () => (depth > 2 ? [] : Array.from({ length: int(4) }, () => badValue(depth + 1))),
    () => (depth > 2 ? {} : { [pick(fields)]: badValue(depth + 1), [nul()]: 1 }),
  ])();
/** The field names the API reads, so garbage reaches each route's validation and not only "unknown field". */
const fields = ['email', 'password', 'name', 'cart_token', 'line1', 'line2', 'city', 'region', 'postal_code', 'country',
  'sku', 'title', 'price_cents', 'currency', 'brand', 'category_path', 'description', 'images', 'attributes',
  'product_id', 'warehouse_id', 'available_count', 'quantity', 'starts_at', 'ends_at', 'per_user_limit', 'hold_seconds',
  'queue_limit', 'payment_method_id', 'shipping_address_id', 'intent_id'] as const;

interface Garbage {
  body: string | Uint8Array;
  type?: string;
}
const json = (value: unknown): Garbage => ({ body: JSON.stringify(value), type: 'application/json' });
const bodies: (() => Garbage)[] = [
  () => json(Object.fromEntries(Array.from({ length: 1 + int(5) }, () => [pick(fields), badValue()]))),
  () => json(Object.fromEntries(fields.map((f) => [f, badValue()]))),
  () => json(pick([null, 42, 'text', [], true, [{}], { [nul()]: nul() }])),
  () => ({ body: pick(['{"email":', "{'a':1}", '[1,2', 'nul', '', '{"a":1}}', '\u0000{}', '{"a":"\\ud800"']), type: 'application/json' }),
  () => ({ body: `${'['.repeat(30_000)}${']'.repeat(30_000)}`, type: 'application/json' }),
  () => ({ body: bytes(1 + int(2_000)), type: pick(['application/json', 'application/octet-stream']) }),
  () => ({ body: JSON.stringify({ email: 'a@b.co' }), type: pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) }),
  () => ({ body: 'email=a%40b.co&password=x' }),
  () => json({ padding: 'p'.repeat(70_000) }),
];

/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD, as a browser would send it). */
const encode = (s: string) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** Path segments for an id: never one that exists; some no id at all, some holding NUL. */
const badSegments = [() => '%00', () => `a${encode(nul())}`, () => 'x'.repeat(5_000), () => newId(), () => 'not-a-uuid',
  () => '%ED%A0%80', () => '%2F..%2F', () => Buffer.from(bytes(12)).toString('hex')];
/** Query strings: NUL in names or values, or values no parameter takes, or parameters no route has. */
const badQueries: (() => { query: string; unstorable: boolean })[] = [
  () => ({ query: `q=${encode(nul())}`, unstorable: true }),
  () => ({ query: `${encode(nul())}=1`, unstorable: true }),
  () => ({ query: `brand=%00&category=a%00`, unstorable: true }),
  () => ({ query: `page=${pick(['abc', '-1', '0', '1e99', '10001'])}&page_size=${pick(['0', '101', 'x'])}`, unstorable: false }),
  () => ({ query: `sort=${pick(['nope', 'price', ''])}&rating_min=${pick(['6', 'NaN', '-1'])}&in_stock=maybe`, unstorable: false }),
  () => ({ query: `q=${'w'.repeat(300)}&limit=${pick(['0', '21', 'many'])}`, unstorable: false }),
  () => ({ query: `price_min=${pick(['-5', '1.5', 'cheap'])}&min_price=7&max_price=1`, unstorable: false }),
  () => ({ query: Array.from({ length: 25 }, () => 'brand=b').join('&'), unstorable: false }),
  () => ({ query: `${encode(noise(6))}=${encode(noise(6))}&unknown=1`, unstorable: false }),
];
const auths: (() => Record<string, string>)[] = [
  () => ({}),
  () => bearer(admin.token),
  () => bearer(shopper.token),
  () => ({ authorization: pick(['Bearer garbage', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', `Bearer ${'t'.repeat(5_000)}`]) }),
  () => ({ 'cart-token': pick(['e30.forged', 'x'.repeat(3_000), '']), cookie: 'cart_token=%00' }),
];

/** A value each field accepts, so a body can be valid but for the one string that holds NUL. */
const plausible: Record<string, () => unknown> = {
  email: () => 'fuzz@example.test', password: () => 'long enough pw', name: () => 'Fuzz', line1: () => '1 Main St',
  city: () => 'Springfield', postal_code: () => '12345', country: () => 'US', region: () => 'eu', sku: () => 'FUZZ-1',
  title: () => 'Lamp', price_cents: () => 100, currency: () => 'USD', product_id: newId, warehouse_id: newId,
  available_count: () => 1, quantity: () => 1, starts_at: () => '2030-01-01T00:00:00Z', cart_token: () => 'e30.x',
  intent_id: newId, payment_method_id: () => 'pm_card_visa', shipping_address_id: newId,
};

/** The fields a route's body requires, as its 400 answer to an empty object names them. */
async function requiredFields(method: string, path: string): Promise<string[]> {
  const headers = { ...bearer(admin.token), 'content-type': 'application/json', 'idempotency-key': 'k-probe' };
  const res = await app.request(path, { method, headers, body: '{}' });
  const body = (await res.json()) as { errors?: { field: string }[] };
  return [...new Set((body.errors ?? []).map((e) => e.field))].filter((f) => f in plausible);
}

/** Every route the app serves, from its router: a route added later is fuzzed too. */
const routes = [...new Map(app.routes.filter((r) => r.method !== 'ALL').map((r) => [`${r.method} ${r.path}`, r])).values()];

/** Row counts of every table, and the count of this database's Redis keys (rate limits, catalog caches). */
async function state() {
  const tables = await rt.sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public' order by 1`;
  const rows: Record<string, number> = {};
  for (const { name } of tables) rows[name] = (await rt.sql<{ n: number }[]>`select count(*)::int as n from ${rt.sql(name)}`)[0]!.n;
  const keys: Record<string, number> = {};
  for (const prefix of [`ratelimit:${databaseName(rt.config.DATABASE_URL)}`, cachePrefix(rt.config.DATABASE_URL)]) {
    let cursor = '0';
    keys[prefix] = 0;
    do {
      const [next, found] = await rt.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      cursor = next;
      keys[prefix] += found.length;
    } while (cursor !== '0');
  }
  return { rows, keys };
}

describe('the HTTP fuzz', () => {
  it('finds every route of the app', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/products/search',
      'PUT /api/v1/admin/products/:product_id', 'DELETE /api/v1/drops/:drop_id/intents/:intent_id', 'GET /healthz']));
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  it('answers garbage on every route with 4xx, never 5xx, and changes nothing', async () => {
    // Reads that cache what they answer (the category tree) are warmed first, so a cache fill is not counted.
    for (const r of routes.filter((r) => r.method === 'GET' && !r.path.includes(':'))) {
      expect((await app.request(r.path, { headers: bearer(admin.token) })).status, r.path).toBeLessThan(500);
    }
    const before = await state();
    const wrong: string[] = [];
    for (const route of routes) {
      for (let i = 0; i < 40; i++) {
        let notIds = false;
        const path = route.path.replace(/:\w+/g, () => {
          const segment = pick(badSegments)();
          notIds ||= !isId(segment);
          return segment;
        });
        const query = int(3) === 0 || (path === route.path && route.method === 'GET') ? pick(badQueries)() : null;
        const hasBody = !['GET', 'HEAD'].includes(route.method);
        const garbage = hasBody ? pick(bodies)() : null;
        const headers: Record<string, string> = { ...pick(auths)() };
        if (garbage?.type !== undefined) headers['content-type'] = garbage.type;
        if (int(2) === 0) headers['idempotency-key'] = pick(['k-1', '', 'k'.repeat(300)]);
        const url = `${path}${query === null ? '' : `?${query.query}`}`;
        const res = await app.request(url, { method: route.method, headers, ...(garbage ? { body: garbage.body } : {}) });
        // Which garbage every route must refuse: text the database cannot hold, ids that are not ids, bodies that
        // are not what a route reads. A read or a delete may ignore a query or a body it does not take.
        const mustRefuse = query?.unstorable === true || notIds || ['POST', 'PUT', 'PATCH'].includes(route.method);
        const ok = res.status < 500 && (!mustRefuse || res.status >= 400);
        if (!ok) wrong.push(`${res.status} ${route.method} ${url.slice(0, 120)} ${(await res.text()).slice(0, 200)}`);
        else await res.arrayBuffer();
      }
    }
    // Bodies valid in every field but one string holding NUL or a lone surrogate: the database would refuse them.
    for (const route of routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))) {
      const path = route.path.replace(/:\w+/g, () => newId());
      const required = await requiredFields(route.method, path);
      const texts = required.filter((f) => typeof plausible[f]!() === 'string');
      for (let i = 0; i < 2 * texts.length; i++) {
        const body: Record<string, unknown> = Object.fromEntries(required.map((f) => [f, plausible[f]!()]));
        const field = pick(texts);
        body[field] = `${String(body[field])}${pick(['\u0000', '\udfff', `\u0000${noise(4)}`])}`;
        const headers = { ...bearer(admin.token), 'content-type': 'application/json', 'idempotency-key': `k-${i}` };
        const res = await app.request(path, { method: route.method, headers, body: JSON.stringify(body) });
        const answer = await res.text();
        if (res.status !== 400 || !answer.includes(`"field":"${field}"`)) wrong.push(`${res.status} ${route.method} ${path} ${field} ${answer.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await state()).toEqual(before);
  });
});
