import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTicket } from '../admission/tickets.ts';
import { dropChannel, dropKeys, newId, type DecisionUpdate, type DropEvent } from '../contracts/index.ts';
import { startWaitingRoom, type WaitingRoomThread } from '../edge/room-supervisor.ts';
import { createTestDrop, type TestDrop } from './fixtures.ts';
import { testRuntime } from './helpers.ts';
import { openSocket } from './ws-client.ts';

// The waiting room's limits, with short periods so that the test sees them act.
const rt = testRuntime();
const limits = { WS_SOCKETS_PER_INTENT: 3, WS_PING_INTERVAL_MS: 1_000, WS_FINAL_GRACE_MS: 500, WS_MESSAGES_PER_SECOND: 5 };
let room: WaitingRoomThread;
let drop: TestDrop;

beforeAll(async () => {
  room = await startWaitingRoom({ config: { ...rt.config, ...limits }, host: '127.0.0.1', port: 0, backlog: 511, logger: rt.logger });
  drop = await createTestDrop(rt, { quantity: 3 });
});
afterAll(async () => {
  await room.close();
  await rt.redis.quit();
  await rt.sql.end();
});

const urlFor = (intentId: string) => {
  const ticket = signTicket(
    { intent_id: intentId, drop_id: drop.drop_id, user_id: newId(), offset: 0, exp: Date.now() + 3_600_000 },
    rt.config.TICKET_SECRET,
  );
  return `ws://127.0.0.1:${room.port}/ws/drops/${drop.drop_id}?ticket=${ticket}`;
};

/** A socket of the intent, once the room has welcomed it. */
async function welcomed(intentId: string, options?: Parameters<typeof openSocket>[1]) {
  const s = openSocket(urlFor(intentId), options);
  await s.until((m) => m.type === 'drop');
  return s;
}

const tell = async (intentId: string, d: Omit<DecisionUpdate, 'intent_id'>) => {
  const event: DropEvent = { drop_id: drop.drop_id, status: 'open', remaining: 3, decided_offset: -1, decisions: [{ intent_id: intentId, ...d }] };
  await rt.redis.publish(dropChannel(drop.drop_id), JSON.stringify(event));
};

describe('waiting-room limits', () => {
  it('lets an intent hold three sockets at once and closes a fourth with 1008', async () => {
    const intent = newId();
    const three = [await welcomed(intent), await welcomed(intent), await welcomed(intent)];
    const fourth = openSocket(urlFor(intent));
    expect(await fourth.ended).toEqual({ code: 1008, reason: 'too many sockets for this intent' });
    expect(fourth.messages).toEqual([]);
    const other = await welcomed(newId()); // another intent is not counted with this one
    three[0]!.close();
    await three[0]!.closed;
    // Once the room has seen the close, the intent may open a socket again.
    await expect
      .poll(async () => {
        const again = openSocket(urlFor(intent));
        const first = await Promise.race([again.until((m) => m.type === 'drop').then(() => 'welcomed'), again.closed.then(() => 'refused')]);
        again.close();
        return first;
      })
      .toBe('welcomed');
    for (const s of [...three, other]) s.close();
  });

  it('pings every socket and cuts the one that stops answering', async () => {
    const answering = await welcomed(newId());
    const silent = await welcomed(newId(), { autoPong: false });
    let pings = 0;
    answering.ws.on('ping', () => pings++);
    const silentEnd = await silent.ended;
    expect(silentEnd.code).toBe(1006); // cut, without a close frame it would not answer anyway
    await expect.poll(() => pings, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(answering.ws.readyState).toBe(answering.ws.OPEN);
    answering.close();
  });

  it('closes a socket with 1000 once the grace period after its final status is over', async () => {
    const intent = newId();
    const s = await welcomed(intent);
    await tell(intent, { seq: 1, status: 'reserved', hold_expires_at: Date.now() + 60_000 });
    await s.until((m) => m.type === 'status' && m.status === 'reserved');
    await tell(intent, { seq: 2, status: 'purchased', order_id: newId() });
    await s.until((m) => m.type === 'status' && m.status === 'purchased');
    const told = performance.now();
    expect(s.ws.readyState).toBe(s.ws.OPEN); // told while reserved, and at the final status: still open
    expect(await s.ended).toEqual({ code: 1000, reason: 'final status told' });
    expect(performance.now() - told).toBeGreaterThanOrEqual(limits.WS_FINAL_GRACE_MS - 100);

    // A socket that comes back after the end is told the final status again, then closed the same way.
    const decision = { type: 'decision', v: 1, drop_id: drop.drop_id, intent_id: intent, user_id: newId(), quantity: 1, status: 'purchased', seq: 2, offset: 0, at: Date.now() };
    await rt.redis.hset(dropKeys(drop.drop_id).decisions, intent, JSON.stringify(decision));
    const back = openSocket(urlFor(intent));
    await back.until((m) => m.type === 'status' && m.status === 'purchased');
    expect(await back.ended).toEqual({ code: 1000, reason: 'final status told' });
  });

  it('answers up to the message limit in a second and cuts off a socket that sends more', async () => {
    const calm = await welcomed(newId());
    for (let i = 0; i < limits.WS_MESSAGES_PER_SECOND; i++) calm.ws.send('{"type":"ping"}');
    await expect.poll(() => calm.messages.filter((m) => m.type === 'pong').length).toBe(limits.WS_MESSAGES_PER_SECOND);

    const flood = await welcomed(newId());
    for (let i = 0; i < 50; i++) flood.ws.send('{"type":"ping"}');
    expect(await flood.ended).toEqual({ code: 1008, reason: 'too many messages' });
    expect(flood.messages.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(limits.WS_MESSAGES_PER_SECOND);
    expect(calm.ws.readyState).toBe(calm.ws.OPEN);
    calm.close();
  });
});
