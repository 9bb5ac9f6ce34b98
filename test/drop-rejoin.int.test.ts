import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropKeys, newId, type JoinCommand } from '../contracts/index.ts';
import { startEngine, type Engine } from './engine.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
}, 60_000);
afterAll(async () => {
  await e.close();
});

const poll = { timeout: 30_000, interval: 100 };
const redisStatusOf = async (dropId: string, intentId: string) => {
  const j = await e.rt.redis.hget(dropKeys(dropId).decisions, intentId);
  return j === null ? undefined : (JSON.parse(j) as { status: string }).status;
};

describe('a hold PostgreSQL never heard of', () => {
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
});
