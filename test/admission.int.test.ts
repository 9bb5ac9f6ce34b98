import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropCommand, dropKeys, type DropCommand } from '../contracts/index.ts';
import { verifyTicket } from '../admission/index.ts';
import { dropOpenerFor, edgeApp } from '../edge/server.ts';
import { createTestDrop } from './fixtures.ts';
import { bearer, json, signedIn, tag, testRuntime, testTopics } from './helpers.ts';

const rt = testRuntime();
let topics: Awaited<ReturnType<typeof testTopics>>;
let edge: Awaited<ReturnType<typeof edgeApp>>;
let consumer: Consumer;
const seen: { partition: number; offset: number; command: DropCommand }[] = [];

beforeAll(async () => {
  topics = await testTopics(rt);
  edge = await edgeApp(rt, { intentsTopic: topics.intents });
  consumer = rt.kafka.consumer({ groupId: `test-${tag()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.intents, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      seen.push({ partition, offset: Number(message.offset), command: dropCommand.parse(JSON.parse(message.value!.toString())) });
      return Promise.resolve();
    },
  });
});
afterAll(async () => {
  await consumer.disconnect();
  await edge.close();
  await topics.drop();
  await rt.redis.quit();
  await rt.sql.end();
});

const join = async (dropId: string, token: string, body: unknown = {}): Promise<Response> =>
  edge.app.request(`/api/v1/drops/${dropId}/intents`, json(body, bearer(token)));

/** How long to wait for a command to come through Kafka. */
const wait = { timeout: 10_000, interval: 50 };
const joinsOf = (intentId: string) =>
  seen.filter((s) => s.command.type === 'join' && s.command.intent_id === intentId);

/**
 * Joins a fresh drop on `partition` and waits for that join to come through: every command produced to the
 * partition before it has been seen too. A test asserting that a command was not produced calls this first.
 */
async function caughtUp(partition: number): Promise<void> {
  const marker = await createTestDrop(rt, { quantity: 1, partition });
  const { token } = await signedIn(rt);
  const res = await join(marker.drop_id, token);
  expect(res.status).toBe(202);
  const { intent_id } = (await res.json()) as { intent_id: string };
  await expect.poll(() => joinsOf(intent_id).length, wait).toBe(1);
}

describe('joining a drop', () => {
  it('admits a join into the drop partition and answers the same intent to a retry', async () => {
    const drop = await createTestDrop(rt, { quantity: 5, partition: 3 });
    const { token, user_id } = await signedIn(rt);
    const first = await join(drop.drop_id, token, { quantity: 1 });
    expect(first.status).toBe(202);
    const a = (await first.json()) as { intent_id: string; status: string; position: number; ticket: string; ws_url: string };
    expect(a.status).toBe('queued');
    expect(a.position).toBe(1); // one undecided intent: this one, with nothing decided yet
    expect(a.ws_url).toMatch(new RegExp(`/ws/drops/${drop.drop_id}\\?ticket=`));
    const again = await join(drop.drop_id, token, { quantity: 1 });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { intent_id: string }).intent_id).toBe(a.intent_id);
    await expect.poll(() => joinsOf(a.intent_id).length, wait).toBeGreaterThan(0);
    const [msg] = joinsOf(a.intent_id);
    expect(msg!.partition).toBe(3);
    expect(msg!.command).toMatchObject({ drop_id: drop.drop_id, user_id, quantity: 1 });
    await caughtUp(3); // a second join for the retry would have come through by now
    expect(joinsOf(a.intent_id)).toHaveLength(1);
    const view = await edge.app.request(`/api/v1/drops/${drop.drop_id}/intents/${a.intent_id}`, { headers: bearer(token) });
    expect(await view.json()).toEqual({ intent_id: a.intent_id, status: 'queued', position: 1 });
  });

  it('gives one intent per user when the same user joins many times at once', async () => {
    const drop = await createTestDrop(rt, { quantity: 5 });
    const { token } = await signedIn(rt);
    const answers = await Promise.all(Array.from({ length: 5 }, () => join(drop.drop_id, token)));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { intent_id: string }[];
    expect(new Set(bodies.map((b) => b.intent_id)).size).toBe(1);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
  });

  it('answers 410 for a sold-out drop, 409 beyond the per-user limit and 404 for an unknown drop', async () => {
    const drop = await createTestDrop(rt, { quantity: 5 });
    const { token } = await signedIn(rt);
    expect((await join(drop.drop_id, token, { quantity: 2 })).status).toBe(409);
    expect((await join('018f0000-0000-7000-8000-0000000000aa', token)).status).toBe(404);
    expect((await join('not-an-id', token)).status).toBe(404);
    const soldOut = await createTestDrop(rt, { quantity: 5 });
    await rt.redis.hset(dropKeys(soldOut.drop_id).state, 'status', 'sold_out');
    const res = await join(soldOut.drop_id, token);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ reason: 'sold_out' });
  });

  it('answers 410 once the line holds enough intents for every unit', async () => {
    const drop = await createTestDrop(rt, { quantity: 2 });
    await rt.redis.hset(dropKeys(drop.drop_id).state, 'queue_limit', 3);
    const users = await Promise.all(Array.from({ length: 5 }, () => signedIn(rt)));
    const statuses = (await Promise.all(users.map((u) => join(drop.drop_id, u.token)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(3);
    expect(statuses.filter((s) => s === 410)).toHaveLength(2);
  });

  it('answers 429 with Retry-After when one user hammers the join', async () => {
    const drop = await createTestDrop(rt, { quantity: 5 });
    const { token } = await signedIn(rt);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < rt.config.JOIN_LIMIT_PER_USER + 2; i++) {
      const r = await join(drop.drop_id, token);
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('answers 400 for a bad join body and a foreign address, and writes nothing', async () => {
    const drop = await createTestDrop(rt, { quantity: 5 });
    const { token, user_id } = await signedIn(rt);
    for (const body of [{ quantity: 0 }, { quantity: 'one' }, { payment_method_id: 'card' }, { extra: true }]) {
      expect((await join(drop.drop_id, token, body)).status).toBe(400);
    }
    const stranger = await signedIn(rt);
    const addr = await edge.app.request(
      '/api/v1/me/addresses',
      json({ name: 'S', line1: '1 St', city: 'C', postal_code: '1', country: 'US' }, bearer(stranger.token)),
    );
    const { address_id } = (await addr.json()) as { address_id: string };
    expect((await join(drop.drop_id, token, { shipping_address_id: address_id })).status).toBe(400);
    expect(await rt.redis.hget(dropKeys(drop.drop_id).users, user_id)).toBeNull();
  });

  it('shows an intent to its owner only', async () => {
    const drop = await createTestDrop(rt, { quantity: 5 });
    const owner = await signedIn(rt);
    const other = await signedIn(rt);
    const { intent_id } = (await (await join(drop.drop_id, owner.token)).json()) as { intent_id: string };
    const path = `/api/v1/drops/${drop.drop_id}/intents/${intent_id}`;
    expect((await edge.app.request(path, { headers: bearer(other.token) })).status).toBe(404);
    expect((await edge.app.request(path, { method: 'DELETE', headers: bearer(other.token) })).status).toBe(404);
    expect((await edge.app.request(path, { headers: bearer(owner.token) })).status).toBe(200);
  });

  it('pre-queues joins before the start and hands them to Kafka shuffled when the drop opens', async () => {
    const drop = await createTestDrop(rt, { quantity: 5, partition: 5, starts_at: Date.now() + 60_000 });
    const users = await Promise.all(Array.from({ length: 30 }, () => signedIn(rt)));
    const answers = await Promise.all(users.map(async (u) => (await join(drop.drop_id, u.token)).json()));
    const ids = (answers as { intent_id: string; status: string; position: null }[]).map((a) => {
      expect(a).toMatchObject({ status: 'prequeued', position: null });
      return a.intent_id;
    });
    await caughtUp(5); // a pre-queued join sent to Kafka would have come through by now
    expect(seen.filter((s) => s.command.drop_id === drop.drop_id)).toHaveLength(0);

    await rt.sql`update drops set starts_at = now() where drop_id = ${drop.drop_id}`;
    const opener = dropOpenerFor(rt, edge.services);
    await opener.tick();
    const joinsOfDrop = () => seen.filter((s) => s.command.drop_id === drop.drop_id);
    await expect.poll(() => joinsOfDrop().length, wait).toBe(30);
    const joins = joinsOfDrop();
    expect(new Set(joins.map((j) => (j.command as { intent_id: string }).intent_id))).toEqual(new Set(ids));
    expect(joins.every((j) => j.partition === 5)).toBe(true);
    const order = joins.sort((a, b) => a.offset - b.offset).map((j) => (j.command as { intent_id: string }).intent_id);
    expect(order).not.toEqual(ids); // 1 in 30! that a shuffle keeps the arrival order
    expect(await rt.redis.hget(dropKeys(drop.drop_id).state, 'status')).toBe('open');
    const [row] = await rt.sql<{ n: number }[]>`
      select count(*)::int as n from drop_intents where drop_id = ${drop.drop_id} and status = 'queued'`;
    expect(row!.n).toBe(30);
    const late = await join(drop.drop_id, users[0]!.token);
    expect(((await late.json()) as { status: string }).status).toBe('queued');
  });

  it('sends one release however many times the owner leaves the line, and answers each the same', async () => {
    const drop = await createTestDrop(rt, { quantity: 5, partition: 6 });
    const { token } = await signedIn(rt);
    const { intent_id } = (await (await join(drop.drop_id, token)).json()) as { intent_id: string };
    const path = `/api/v1/drops/${drop.drop_id}/intents/${intent_id}`;
    const leave = async () => {
      const r = await edge.app.request(path, { method: 'DELETE', headers: bearer(token) });
      return { status: r.status, body: await r.json() };
    };
    const first = await leave();
    expect(first).toEqual({ status: 202, body: { intent_id, status: 'cancelling' } });
    expect(await Promise.all([leave(), leave()])).toEqual([first, first]);
    await caughtUp(6); // a release of a later DELETE would have come through by now
    expect(seen.filter((s) => s.command.type === 'release' && s.command.intent_id === intent_id)).toHaveLength(1);
  });

  it('hands out tickets that end with the drop plus its hold time, or a bounded time after the join', async () => {
    const endsAt = Date.now() + 120_000;
    const ending = await createTestDrop(rt, { quantity: 5, hold_seconds: 60, ends_at: endsAt });
    const endless = await createTestDrop(rt, { quantity: 5, hold_seconds: 60 });
    const { token } = await signedIn(rt);
    const ticketOf = async (dropId: string) => {
      const { ticket } = (await (await join(dropId, token)).json()) as { ticket: string };
      return verifyTicket(ticket, rt.config.TICKET_SECRET)!;
    };
    expect((await ticketOf(ending.drop_id)).exp).toBe(endsAt + 60_000);
    const before = Date.now();
    const { exp } = await ticketOf(endless.drop_id);
    expect(exp).toBeGreaterThanOrEqual(before + 3_600_000 + 60_000);
    expect(exp).toBeLessThanOrEqual(Date.now() + 3_600_000 + 60_000);
  });
});
