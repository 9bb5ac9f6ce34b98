import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { startReadyChild } from './child-process.ts';
import { createConsumerHarness, type ConsumerHarness } from './consumer-harness.ts';
import { stripeAt, tag, testRuntime } from './helpers.ts';
import { createPaidOrder, type FixtureOrder } from './order-fixtures.ts';

const rt = testRuntime();
const ORDERS = 120;
const roles = ['notifications', 'fulfillment', 'analytics'] as const;
type Role = (typeof roles)[number];
let local: RunningStripeLocal;
let h: ConsumerHarness;
const groups = Object.fromEntries(roles.map((r) => [r, `test-${r}-${tag()}`])) as Record<Role, string>;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  local = await startStripeLocal({ port: 0 });
  h = await createConsumerHarness(rt, 1);
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await h?.close();
  await local?.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/** Starts a consumer as a real child process on the harness's topics; resolves once it has joined its group. */
const child = (role: Role): Promise<ChildProcess> =>
  startReadyChild(
    'test/consumer-child.ts',
    role,
    {
      MAIL_DIR: h.mailDir,
      FULFILLMENT_SPEEDUP: '1', // no scans while the test runs: only the parcels count
      CONSUMER_CHILD: JSON.stringify({ role, topic: h.topics.orderEvents, groupId: groups[role], deadLetterTopic: h.topics.deadLetters }),
    },
    children,
  );

/** Events a consumer did the work of: fulfillment records only the order.paid and order.cancelled it acts on. */
const processed = async (role: Role) =>
  (await rt.sql<{ n: number }[]>`select count(*)::int as n from processed_events where consumer = ${groups[role]}`)[0]!.n;
const orders: FixtureOrder[] = [];
/** Each consumer's work so far, and when it is done: every confirmation mailed, every parcel made, every unit counted. */
const progress: Record<Role, { done: () => Promise<number>; total: number }> = {
  notifications: { done: async () => (await readdir(h.mailDir)).filter((f) => f.endsWith('.confirmation.eml')).length, total: ORDERS },
  fulfillment: { done: () => processed('fulfillment'), total: ORDERS },
  analytics: {
    done: async () =>
      (await rt.sql<{ n: number }[]>`
        select coalesce(sum(units), 0)::int as n from sales_daily where product_id = any(${orders.map((o) => o.products[0]!)}::uuid[])`)[0]!.n,
    total: ORDERS,
  },
};

describe('order.events consumers killed mid-stream', () => {
  it('lose nothing and double nothing once restarted', async () => {
    const running = Object.fromEntries(await Promise.all(roles.map(async (r) => [r, await child(r)] as const))) as Record<Role, ChildProcess>;
    for (let i = 0; i < ORDERS; i++) orders.push(await createPaidOrder(rt, stripeAt(local.url), { topic: h.topics.orderEvents }));

    // Each is killed (SIGKILL: no clean-up, offsets of the batch in hand not committed) once it is under way, watched
    // from before the stream is published: a consumer quicker than the relay would otherwise be done when looked at.
    const atKill = {} as Record<Role, number>;
    const killed = Promise.all(
      roles.map(async (r) => {
        await expect.poll(progress[r].done, { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(1);
        running[r].kill('SIGKILL');
        await once(running[r], 'exit');
        atKill[r] = await progress[r].done();
      }),
    );
    await h.relay();
    await killed;
    for (const r of roles) expect({ r, under_way: atKill[r] < progress[r].total }).toEqual({ r, under_way: true });
    await Promise.all(roles.map((r) => child(r)));
    for (const r of roles) {
      await expect.poll(async () => `${r}: ${await progress[r].done()}`, { timeout: 90_000, interval: 200 }).toBe(`${r}: ${progress[r].total}`);
    }

    const ids = orders.map((o) => o.order_id);
    const mail = (await readdir(h.mailDir)).filter((f) => f.endsWith('.eml'));
    expect(mail.sort()).toEqual(ids.map((id) => `${id}.confirmation.eml`).sort());
    const [parcels] = await rt.sql<{ n: number; created: number }[]>`
      select (select count(*)::int from shipments where order_id = any(${ids}::uuid[])) as n,
             (select count(*)::int from outbox where payload->>'type' = 'shipment.created' and key = any(${ids}::text[])) as created`;
    expect(parcels).toEqual({ n: ORDERS, created: ORDERS });
    const [sold] = await rt.sql<{ units: number; sales_count: number }[]>`
      select (select sum(units)::int from sales_daily where product_id = any(${orders.map((o) => o.products[0]!)}::uuid[])) as units,
             (select sum(sales_count)::int from products where product_id = any(${orders.map((o) => o.products[0]!)}::uuid[])) as sales_count`;
    expect(sold).toEqual({ units: ORDERS, sales_count: ORDERS });
    expect(h.deadLetters).toEqual([]);
  }, 240_000);
});
