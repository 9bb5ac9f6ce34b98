import { describe, expect, it } from 'vitest';
import { dropKeys, newId, type JoinCommand } from '../contracts/index.ts';
import { startEdge } from '../edge/server.ts';
import { closeAll } from '../platform/shutdown.ts';
import { engineForFile, settledAudit, type Engine, type Reply } from './engine.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';

let e: Engine;
engineForFile((started) => (e = started));

const poll = { timeout: 30_000, interval: 100 };
const intentsPath = (dropId: string) => `/api/v1/drops/${dropId}/intents`;
const redisStatusOf = async (dropId: string, intentId: string) => {
  const j = await e.rt.redis.hget(dropKeys(dropId).decisions, intentId);
  return j === null ? undefined : (JSON.parse(j) as { status: string }).status;
};

describe('joining a drop again', () => {
  it('frees the place of a shopper who leaves the pre-queue, who then joins as a new intent with checked fields', async () => {
    const drop = await createTestDrop(e.rt, { quantity: 1, partition: 12, starts_at: Date.now() + 60_000, topic: e.names.topics.intents });
    const [u] = await createTestUsers(e.rt, 1);
    const token = await e.tokenFor(u!.user_id);
    const first = await e.call('POST', intentsPath(drop.drop_id), token, { shipping_address_id: u!.address_id });
    expect(first).toMatchObject({ status: 202, body: { status: 'prequeued' } });
    const left = await e.call('DELETE', `${intentsPath(drop.drop_id)}/${first.body.intent_id}`, token);
    expect(left).toMatchObject({ status: 202, body: { status: 'cancelled' } });
    const k = dropKeys(drop.drop_id);
    expect(await e.rt.redis.hget(k.users, u!.user_id)).toBeNull();
    expect(Number(await e.rt.redis.get(k.admitted))).toBe(0);
    // A second DELETE answers the same.
    expect(await e.call('DELETE', `${intentsPath(drop.drop_id)}/${first.body.intent_id}`, token)).toMatchObject(left);

    await e.rt.sql`update drops set starts_at = now() where drop_id = ${drop.drop_id}`;
    await expect.poll(() => e.rt.redis.hget(k.state, 'status'), poll).toBe('open');
    // The brief's reproduction: a rejoin after the opening naming an address that is nobody's.
    const foreign = await e.call('POST', intentsPath(drop.drop_id), token, { shipping_address_id: newId() });
    expect(foreign.status).toBe(400);
    const again = await e.call('POST', intentsPath(drop.drop_id), token, { payment_method_id: 'pm_card_visa', shipping_address_id: u!.address_id });
    expect(again.status).toBe(202);
    expect(again.body.intent_id).not.toBe(first.body.intent_id);
    const report = await settledAudit(e, drop.drop_id);
    expect(report.violations).toEqual([]);
    expect(report.counts).toMatchObject({ purchased: 1, intents: 1 });
  }, 90_000);

  it('never puts a foreign address in line, nor an intent without its place, when one shopper joins twice at once', async () => {
    const drop = await createTestDrop(e.rt, { quantity: 20, partition: 13, topic: e.names.topics.intents });
    const users = await createTestUsers(e.rt, 8);
    const stranger = newId();
    const answers = await Promise.all(
      users.map(async (u, i) => {
        const token = await e.tokenFor(u.user_id);
        const bodies = [{ shipping_address_id: u.address_id }, { shipping_address_id: stranger }];
        if (i % 2 === 1) bodies.reverse();
        return Promise.all(bodies.map((b) => e.call('POST', intentsPath(drop.drop_id), token, b)));
      }),
    );
    for (const pair of answers) expect(pair.map((r) => r.status)).toContain(400);
    const k = dropKeys(drop.drop_id);
    // Every intent the sequencer decided is the place of its user, and none names the foreign address.
    await expect.poll(async () => Number(await e.rt.redis.hget(k.state, 'decided_offset')), poll).toBeGreaterThanOrEqual(
      Number(await e.rt.redis.hget(k.state, 'last_offset')),
    );
    const decided = (await e.rt.redis.hvals(k.decisions)).map((j) => JSON.parse(j) as JoinCommand);
    for (const d of decided) {
      expect(d.shipping_address_id).not.toBe(stranger);
      expect(await e.rt.redis.hget(k.users, d.user_id)).toBe(d.intent_id);
    }
    expect(Number(await e.rt.redis.get(k.admitted))).toBe(await e.rt.redis.hlen(k.users));
  }, 60_000);

  it('releases a hold whose decision PostgreSQL refuses, from the drop state in Redis, and the audit names the decision', async () => {
    const drop = await createTestDrop(e.rt, { quantity: 1, partition: 14, hold_seconds: 2, topic: e.names.topics.intents });
    const [u] = await createTestUsers(e.rt, 1);
    // A join that admission would refuse, put in line directly: its decision breaks a foreign key.
    const join: JoinCommand = {
      type: 'join',
      v: 1,
      drop_id: drop.drop_id,
      intent_id: newId(),
      user_id: u!.user_id,
      quantity: 1,
      shipping_address_id: newId(),
      at: Date.now(),
    };
    await e.edge.services.commands.send(drop.partition, join);
    await expect.poll(() => redisStatusOf(drop.drop_id, join.intent_id), poll).toBe('reserved');
    // PostgreSQL never had the hold: the drop's own state in Redis sends its release, once well past its expiry.
    await expect.poll(() => redisStatusOf(drop.drop_id, join.intent_id), { ...poll, timeout: 60_000 }).toBe('expired');
    expect(await e.rt.redis.hmget(dropKeys(drop.drop_id).state, 'stock', 'held')).toEqual(['1', '0']);
    const report = await e.audit(drop.drop_id);
    expect(report.violations).toContainEqual(expect.stringMatching(new RegExp(`${join.intent_id}.*never reached postgres`)));
  }, 120_000);

  it('answers a winner who joins again after the sell-out with the same intent, on an edge that never saw the join', async () => {
    const drop = await createTestDrop(e.rt, { quantity: 1, partition: 15, topic: e.names.topics.intents });
    const [winner, loser, stranger] = await createTestUsers(e.rt, 3);
    const [wt, lt, st] = await Promise.all([winner, loser, stranger].map((u) => e.tokenFor(u!.user_id)));
    const body = { payment_method_id: 'pm_card_visa', shipping_address_id: winner!.address_id };
    const won = await e.call('POST', intentsPath(drop.drop_id), wt!, body);
    expect(won.status).toBe(202);
    await expect.poll(() => redisStatusOf(drop.drop_id, won.body.intent_id!), poll).toBe('purchased');
    expect((await e.call('POST', intentsPath(drop.drop_id), lt!, {})).status).toBe(410);

    const other = await startEdge(e.rt, {
      port: 0,
      waitingRoomPort: 0,
      intentsTopic: e.names.topics.intents,
      orderEventsTopic: e.names.topics.orderEvents,
    });
    try {
      const post = async (base: string, token: string): Promise<Reply> => {
        const r = await fetch(`${base}${intentsPath(drop.drop_id)}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: (await r.json()) as Reply['body'] };
      };
      for (const base of [e.edge.url, other.url]) {
        for (let i = 0; i < 3; i++) {
          expect(await post(base, wt!)).toMatchObject({ status: 200, body: { intent_id: won.body.intent_id, status: 'purchased' } });
          expect(await post(base, st!)).toMatchObject({ status: 410, body: { reason: 'sold_out' } });
        }
      }
      // Strangers were answered without the admission script, which counts every attempt.
      expect(await e.rt.redis.exists(dropKeys(drop.drop_id).rateLimit(`u:${stranger!.user_id}`))).toBe(0);
    } finally {
      await closeAll(other.closers, e.rt.logger, 5_000);
    }
  }, 60_000);
});
