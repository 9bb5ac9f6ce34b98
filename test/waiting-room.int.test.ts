import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropChannel, dropKeys, type Decision, type DropEvent } from '../contracts/index.ts';
import { startEdge, type EdgeServer } from '../edge/server.ts';
import { closeAll } from '../platform/shutdown.ts';
import { createTestDrop } from './fixtures.ts';
import { bearer, json, signedIn, testRuntime, testTopics } from './helpers.ts';
import { openSocket } from './ws-client.ts';

// The sequencer's part is played by hand here: events are published on the drop's real Redis channel
// and decisions written where the sequencer writes them. test/drop.int.test.ts runs the real one.
const rt = testRuntime();
let topics: Awaited<ReturnType<typeof testTopics>>;
let edge: EdgeServer;
beforeAll(async () => {
  topics = await testTopics(rt);
  edge = await startEdge(rt, { port: 0, waitingRoomPort: 0, intentsTopic: topics.intents });
});
afterAll(async () => {
  await closeAll(edge.closers, rt.logger, 5_000);
  await topics.drop();
  await rt.redis.quit();
  await rt.sql.end();
});

async function joinOne(dropId: string) {
  const user = await signedIn(rt);
  const res = await fetch(`${edge.url}/api/v1/drops/${dropId}/intents`, json({}, bearer(user.token)));
  const body = (await res.json()) as { intent_id: string; ws_url: string; ticket: string };
  return { ...user, ...body };
}

const decision = (dropId: string, intentId: string, userId: string, seq: number, status: Decision['status']): Decision => ({
  type: 'decision',
  v: 1,
  drop_id: dropId,
  intent_id: intentId,
  user_id: userId,
  quantity: 1,
  status,
  seq,
  offset: 0,
  at: Date.now(),
  ...(status === 'reserved' ? { hold_expires_at: Date.now() + 60_000 } : {}),
});

const publish = (e: DropEvent) => rt.redis.publish(dropChannel(e.drop_id), JSON.stringify(e));

describe('waiting room', () => {
  it('refuses a forged ticket and a ticket for another drop', async () => {
    const drop = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const other = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const j = await joinOne(drop.drop_id);
    const forged = openSocket(j.ws_url.replace(/ticket=[^.]+\./, 'ticket=eyJ4Ijox.'));
    await expect(forged.opened).rejects.toThrow('refused: 401');
    const wrongDrop = openSocket(j.ws_url.replace(drop.drop_id, other.drop_id));
    await expect(wrongDrop.opened).rejects.toThrow('refused: 401');
  });

  it('listens on a port of its own, the one the join answer names; plain HTTP there is 404', async () => {
    const drop = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const j = await joinOne(drop.drop_id);
    const room = new URL(j.ws_url);
    expect(room.protocol).toBe('ws:');
    expect(room.hostname).toBe(new URL(edge.url).hostname);
    expect(room.port).not.toBe(new URL(edge.url).port);
    const res = await fetch(`http://${room.host}${room.pathname}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const s = openSocket(j.ws_url);
    expect((await s.until((m) => m.type === 'drop')).type).toBe('drop');
    s.close();
  });

  it('starts its thread again on the same port when it dies', async () => {
    const drop = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const j = await joinOne(drop.drop_id);
    const before = openSocket(j.ws_url);
    await before.until((m) => m.type === 'drop');
    const dead = edge.waitingRoom.thread();
    await dead.terminate();
    await expect(before.closed).resolves.toBeDefined();
    await expect
      .poll(() => edge.waitingRoom.thread(), {
        timeout: 5_000,
        interval: 50,
        message: 'the waiting room thread was not started again',
      })
      .not.toBe(dead);
    const after = openSocket(j.ws_url);
    expect((await after.until((m) => m.type === 'drop')).type).toBe('drop');
    after.close();
  });

  it('sends the current state first, positions that only go down, then the final status', async () => {
    const drop = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const base = Number(await rt.redis.hget(dropKeys(drop.drop_id).state, 'decided_offset'));
    const first = await joinOne(drop.drop_id);
    const mine = await joinOne(drop.drop_id);
    const s = openSocket(mine.ws_url);
    await s.opened;
    await s.until((m) => m.type === 'drop');
    const start = await s.until((m) => m.type === 'position');
    expect(start).toMatchObject({ intent_id: mine.intent_id, position: 2 });

    await publish({ drop_id: drop.drop_id, status: 'open', remaining: 2, decided_offset: base + 1, decisions: [decision(drop.drop_id, first.intent_id, first.user_id, 1, 'reserved')] });
    await s.until((m) => m.type === 'position' && m.position === 1);
    await publish({ drop_id: drop.drop_id, status: 'open', remaining: 2, decided_offset: base, decisions: [] }); // a stale event
    await publish({ drop_id: drop.drop_id, status: 'open', remaining: 1, decided_offset: base + 2, decisions: [decision(drop.drop_id, mine.intent_id, mine.user_id, 2, 'reserved')] });
    const status = await s.until((m) => m.type === 'status');
    expect(status).toMatchObject({ intent_id: mine.intent_id, status: 'reserved' });
    expect(s.messages.some((m) => m.type === 'status' && m.intent_id === first.intent_id)).toBe(false);
    const positions = s.messages.flatMap((m) => (m.type === 'position' ? [m.position] : []));
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await s.until((m) => m.type === 'pong');
    s.close();
  });

  it('gives a reconnecting socket the decision it missed', async () => {
    const drop = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const j = await joinOne(drop.drop_id);
    const d = decision(drop.drop_id, j.intent_id, j.user_id, 1, 'sold_out');
    await rt.redis.hset(dropKeys(drop.drop_id).decisions, j.intent_id, JSON.stringify(d));
    await rt.redis.hset(dropKeys(drop.drop_id).state, { decided_offset: 1_000_000, status: 'sold_out', stock: 0 });
    const s = openSocket(j.ws_url);
    await s.opened;
    expect(await s.until((m) => m.type === 'drop')).toEqual({ type: 'drop', status: 'sold_out', remaining: 0 });
    expect(await s.until((m) => m.type === 'status')).toMatchObject({ status: 'sold_out', intent_id: j.intent_id });
    s.close();
  });

  it('welcomes a socket from the decisions its room has seen since it read the line from Redis', async () => {
    const drop = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const base = Number(await rt.redis.hget(dropKeys(drop.drop_id).state, 'decided_offset'));
    const first = await joinOne(drop.drop_id);
    const later = await joinOne(drop.drop_id);
    const s1 = openSocket(first.ws_url); // the room reads Redis: nothing decided after base
    await s1.until((m) => m.type === 'position');
    await publish({ drop_id: drop.drop_id, status: 'open', remaining: 2, decided_offset: base + 2, decisions: [decision(drop.drop_id, later.intent_id, later.user_id, 1, 'reserved')] });
    await s1.until((m) => m.type === 'position' && m.position === 0);
    // Reading the decision from Redis would now fail (a string where the hash was): the welcome must not ask.
    await rt.redis.set(dropKeys(drop.drop_id).decisions, 'not a hash');
    const s2 = openSocket(later.ws_url);
    expect(await s2.until((m) => m.type === 'status')).toMatchObject({ intent_id: later.intent_id, status: 'reserved' });
    expect(s2.messages.some((m) => m.type === 'error')).toBe(false);
    s1.close();
    s2.close();
  });

  it('catches a socket up on what was decided while its subscription was down', async () => {
    const drop = await createTestDrop(rt, { quantity: 3, topic: topics.intents });
    const j = await joinOne(drop.drop_id);
    const s = openSocket(j.ws_url);
    await s.until((m) => m.type === 'position');
    // The room thread's subscriber (named after this process), closed by the server.
    const clients = (await rt.redis.client('LIST')) as string;
    const line = clients.split('\n').find((l) => l.includes(` name=flashline:waiting-room:${process.pid} `) && / sub=[1-9]/.test(l));
    const id = line && / id=(\d+)/.exec(` ${line}`)?.[1];
    expect(id).toBeDefined();
    await rt.redis.client('KILL', 'ID', id!);
    // Decided while nobody listens: stored where the sequencer stores it, its event lost.
    await rt.redis.hset(dropKeys(drop.drop_id).decisions, j.intent_id, JSON.stringify(decision(drop.drop_id, j.intent_id, j.user_id, 1, 'reserved')));
    expect(await s.until((m) => m.type === 'status')).toMatchObject({ intent_id: j.intent_id, status: 'reserved' });
    s.close();
  });

  it('tells every waiting socket of a drop when it sells out', async () => {
    const drop = await createTestDrop(rt, { quantity: 1, topic: topics.intents });
    const base = Number(await rt.redis.hget(dropKeys(drop.drop_id).state, 'decided_offset'));
    const joined = await Promise.all(Array.from({ length: 20 }, () => joinOne(drop.drop_id)));
    const sockets = joined.map((j) => openSocket(j.ws_url));
    await Promise.all(sockets.map((s) => s.opened));
    await Promise.all(sockets.map((s) => s.until((m) => m.type === 'drop')));
    await publish({
      drop_id: drop.drop_id,
      status: 'sold_out',
      remaining: 0,
      decided_offset: base + 20,
      decisions: joined.map((j, i) => decision(drop.drop_id, j.intent_id, j.user_id, i + 1, i === 0 ? 'purchased' : 'sold_out')),
    });
    const finals = await Promise.all(sockets.map((s, i) => s.until((m) => m.type === 'status' && m.intent_id === joined[i]!.intent_id)));
    expect(finals.map((m) => (m.type === 'status' ? m.status : '')).sort()).toEqual(['purchased', ...Array<string>(19).fill('sold_out')]);
    for (const s of sockets) s.close();
  });
});
