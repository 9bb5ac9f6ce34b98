import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTicket } from '../admission/tickets.ts';
import { dropChannel, dropKeys, newId, type DropEvent } from '../contracts/index.ts';
import { startWaitingRoom, type WaitingRoomThread } from '../edge/room-supervisor.ts';
import { signJson } from '../platform/signed.ts';
import { createTestDrop, type TestDrop } from './fixtures.ts';
import { testRuntime } from './helpers.ts';
import { rawExchange, rawWebSocket, upgradeRequest } from './raw-tcp.ts';
import { openSocket } from './ws-client.ts';

// What a hostile client can send the waiting room: garbage upgrade targets and requests, malformed tickets, and
// on an open socket malformed JSON, wrong types, huge and NUL-laden strings, random bytes and broken frames. Each
// gets a refusal, an error message or a close, and nothing else: the room's thread keeps serving a bystander's
// socket, and the drop's state is what it was.
const rt = testRuntime();
let room: WaitingRoomThread;
let drop: TestDrop;
let bystander: ReturnType<typeof openSocket>;
let bystanderIntent: string;
let bystanderClosed = false;
let thread: Worker;

const ticket = (dropId: string, o: { intentId?: string; exp?: number } = {}) =>
  signTicket(
    { intent_id: o.intentId ?? newId(), drop_id: dropId, user_id: newId(), offset: 0, exp: o.exp ?? Date.now() + 3_600_000 },
    rt.config.TICKET_SECRET,
  );
const roomUrl = (path: string) => `ws://127.0.0.1:${room.port}${path}`;
const socketPath = (dropId: string, t: string) => `/ws/drops/${dropId}?ticket=${encodeURIComponent(t)}`;

/** Everything the drop has in Redis and PostgreSQL, to compare before and after. */
const snapshot = async (d: TestDrop) => {
  const k = dropKeys(d.drop_id);
  const [state, intents, decisions, users, waitlist] = await Promise.all([
    rt.redis.hgetall(k.state),
    rt.redis.hgetall(k.intents),
    rt.redis.hgetall(k.decisions),
    rt.redis.hgetall(k.users),
    rt.redis.lrange(k.waitlist, 0, -1),
  ]);
  const rows = await rt.sql`select * from drop_intents where drop_id = ${d.drop_id} order by intent_id`;
  const [dropRow] = await rt.sql`select status, quantity from drops where drop_id = ${d.drop_id}`;
  return { state, intents, decisions, users, waitlist, rows: [...rows], dropRow };
};
let before: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  // The flood limit has its own test (waiting-room-limits); here every malformed message is to be answered.
  const config = { ...rt.config, WS_MESSAGES_PER_SECOND: 1_000 };
  room = await startWaitingRoom({ config, host: '127.0.0.1', port: 0, backlog: 511, logger: rt.logger });
  thread = room.thread();
  drop = await createTestDrop(rt, { quantity: 3 });
  before = await snapshot(drop);
  bystanderIntent = newId();
  bystander = openSocket(roomUrl(socketPath(drop.drop_id, ticket(drop.drop_id, { intentId: bystanderIntent }))));
  void bystander.closed.then(() => (bystanderClosed = true));
  await bystander.until((m) => m.type === 'drop');
});

afterAll(async () => {
  bystander.close();
  await room.close();
  await rt.redis.quit();
  await rt.sql.end();
});

/** The room still runs on its first thread and serves the bystander; the drop's state has not moved. */
async function expectUnharmed() {
  expect(room.thread()).toBe(thread);
  expect(bystanderClosed).toBe(false);
  const pongs = bystander.messages.filter((m) => m.type === 'pong').length;
  bystander.ws.send(JSON.stringify({ type: 'ping' }));
  await expect.poll(() => bystander.messages.filter((m) => m.type === 'pong').length).toBe(pongs + 1);
  expect(await snapshot(drop)).toEqual(before);
}

describe('waiting room under hostile input', () => {
  it('refuses upgrade targets that are not URLs or not rooms with a 4xx, and keeps serving', async () => {
    const targets = [
      '//[',
      '/[',
      '//[::1',
      'http://[',
      '*',
      '/ws/drops/%',
      `/ws/drops/${drop.drop_id}?ticket=%`,
      `/ws/drops/${drop.drop_id}?ticket=%E0%A4%A`,
      `/ws/drops/${drop.drop_id}/../${drop.drop_id}`,
      `/ws/drops/${'f'.repeat(6_000)}`,
      `/ws/drops/${drop.drop_id}?ticket=${'\u00ff'.repeat(100)}`,
    ];
    for (const target of targets) {
      const answer = await rawExchange(room.port, upgradeRequest(target));
      expect(answer.text, target).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer.closed, target).toBe(true);
    }
    await expectUnharmed();
  });

  it('answers requests that are not HTTP with 400 and closes them', async () => {
    const garbage = [
      'GARBAGE\r\n\r\n',
      Buffer.from('16030100a5010000a10303', 'hex'), // the start of a TLS handshake
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      Buffer.concat([Buffer.from('GET /ws/drops/\u0000 HTTP/1.1\r\n'), randomBytes(200), Buffer.from('\r\n\r\n')]),
    ];
    for (const bytes of garbage) {
      const answer = await rawExchange(room.port, bytes);
      expect(answer.text).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer.closed).toBe(true);
    }
    await expectUnharmed();
  });

  it('refuses malformed, forged, foreign and expired tickets with 401', async () => {
    const other = await createTestDrop(rt, { quantity: 1 });
    const good = ticket(drop.drop_id);
    const tickets = [
      '',
      'x',
      '.',
      'a.b',
      `${good}x`,
      good.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      ticket(other.drop_id),
      ticket(drop.drop_id, { exp: Date.now() - 1 }),
      signJson('not a ticket', rt.config.TICKET_SECRET),
      signJson([1, 2, 3, 4, 5], rt.config.TICKET_SECRET),
      signJson(['\u0000', drop.drop_id, '\u0000', 'NaN', 'x'], rt.config.TICKET_SECRET),
      '\u0000'.repeat(1_000),
    ];
    for (const t of tickets) {
      const s = openSocket(roomUrl(socketPath(drop.drop_id, t)));
      await expect(s.opened, t).rejects.toThrow('refused: 401');
    }
    await expectUnharmed();
  });

  it('answers malformed messages with an error message and changes nothing', async () => {
    const s = openSocket(roomUrl(socketPath(drop.drop_id, ticket(drop.drop_id))));
    await s.until((m) => m.type === 'drop');
    const malformed: (string | Buffer)[] = [
      'not json',
      '{',
      '',
      '[]',
      'null',
      '42',
      '"ping"',
      '{"type":5}',
      '{"type":"pong"}',
      '{"type":["ping"]}',
      '{"type":"ping\\u0000"}',
      '{"type":{"$gt":""}}',
      '{"__proto__":{"type":"ping"}}',
      '\u0000'.repeat(2_000),
      `{"type":"${'\u0000x'.repeat(1_500)}"}`,
      'x'.repeat(4_000),
      randomBytes(256),
      randomBytes(1),
    ];
    for (const m of malformed) {
      const errors = s.messages.filter((x) => x.type === 'error').length;
      s.ws.send(m);
      await expect.poll(() => s.messages.filter((x) => x.type === 'error').length).toBe(errors + 1);
    }
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await s.until((m) => m.type === 'pong');
    s.close();
    await expectUnharmed();
  });

  it('closes a socket that sends a message over the size limit or text that is not UTF-8', async () => {
    const big = openSocket(roomUrl(socketPath(drop.drop_id, ticket(drop.drop_id))));
    await big.until((m) => m.type === 'drop');
    big.ws.send('x'.repeat(100_000));
    expect(await big.closed).toBe(1009);

    const notUtf8 = openSocket(roomUrl(socketPath(drop.drop_id, ticket(drop.drop_id))));
    await notUtf8.until((m) => m.type === 'drop');
    notUtf8.ws.send(Buffer.from([0xff, 0xfe, 0xc3, 0x28]), { binary: false });
    expect(await notUtf8.closed).toBe(1007);
    await expectUnharmed();
  });

  it('drops the connection of a client that writes bytes that are not WebSocket frames', async () => {
    const streams = [
      Buffer.concat([Buffer.from([0xff, 0xff]), randomBytes(64)]), // reserved bits and opcode
      Buffer.from([0x81, 0x05, ...Buffer.from('hello')]), // a client frame without a mask
      Buffer.from([0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]), // a 2^64-byte frame
      Buffer.concat([Buffer.from([0x70 | (randomBytes(1)[0]! & 0x8f)]), randomBytes(4_096)]),
    ];
    for (const bytes of streams) {
      const { socket, closed } = await rawWebSocket(room.port, socketPath(drop.drop_id, ticket(drop.drop_id)));
      socket.write(bytes);
      await closed;
    }
    await expectUnharmed();
  });

  it('survives clients that reset their connection while being answered', async () => {
    for (let i = 0; i < 20; i++) {
      const { socket } = await rawWebSocket(room.port, socketPath(drop.drop_id, ticket(drop.drop_id)));
      socket.resetAndDestroy();
      const refused = connect({ host: '127.0.0.1', port: room.port });
      refused.on('error', () => {});
      refused.write(upgradeRequest(socketPath(drop.drop_id, 'forged.ticket')));
      refused.resetAndDestroy();
    }
    // The room still tells the bystander what the sequencer decides.
    const event: DropEvent = {
      drop_id: drop.drop_id,
      status: 'open',
      remaining: 3,
      decided_offset: -1,
      decisions: [{ intent_id: bystanderIntent, seq: 1, status: 'queued' }],
    };
    await rt.redis.publish(dropChannel(drop.drop_id), JSON.stringify(event));
    await bystander.until((m) => m.type === 'status' && m.intent_id === bystanderIntent);
    await expectUnharmed();
  });
});
