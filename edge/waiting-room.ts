import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { WebSocket, WebSocketServer } from 'ws';
import { randomUUID } from 'node:crypto';
import { readDropView, tellSockets, verifyTicket, type DropEvents } from '../admission/index.ts';
import {
  decisionOf,
  dropKeys,
  finalStatuses,
  type Decision,
  type DropEvent,
  type ServerMessage,
} from '../contracts/index.ts';
import type { Logger } from '../platform/index.ts';
import { Room } from './room.ts';
import { closes, createSocketGuard, replyTo, type SocketLimits } from './room-sockets.ts';

const PATH = /^\/ws\/drops\/([0-9a-f-]{36})$/i;
/** How often a waiting room tells Redis its open sockets per drop (the ops figures and /metrics read them). */
const TELL_SOCKETS_MS = 2_000;

/**
 * The WebSocket waiting room at /ws/drops/{drop_id}?ticket=…: a socket with a valid ticket for
 * that drop first gets the current state, then every change of its intent and of the drop, and its
 * position as the line moves. A target that is not a room is refused before the upgrade (400, 404), and so is
 * a bad or foreign ticket (401); an intent has at most WS_SOCKETS_PER_INTENT sockets at once, and each socket
 * lives by the rules of {@link createSocketGuard}. Nothing a client sends ends more than its own socket.
 */
export function createWaitingRoom(deps: {
  redis: Redis;
  events: DropEvents;
  ticketSecret: string;
  limits: SocketLimits;
  logger: Logger;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const rooms = new Map<string, Room>();
  const guard = createSocketGuard(deps.limits, now);
  const instance = randomUUID();
  const tell = (dropId: string, count: number) =>
    tellSockets(deps.redis, dropId, instance, count, now()).catch((err: unknown) =>
      deps.logger.warn({ err, dropId }, 'could not tell the waiting room’s sockets'),
    );

  /** The connection under each WebSocket. */
  const raw = new WeakMap<WebSocket, Duplex>();

  /**
   * A message, or one already serialized (a broadcast is serialized once for all its sockets; statuses never
   * are, so a final one starts the socket's grace period here). A socket's messages of one turn of the event loop
   * leave in one write: each write wakes the reader, and a crowd's sockets are told several things at once (the
   * drop and a position, a status and the sell-out).
   */
  const send = (ws: WebSocket, m: ServerMessage | string) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > 1 << 20) return ws.terminate(); // a reader this slow is gone
    const socket = raw.get(ws);
    if (socket && !socket.writableCorked) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    ws.send(typeof m === 'string' ? m : JSON.stringify(m));
    if (typeof m !== 'string' && m.type === 'status' && finalStatuses.has(m.status)) guard.toldFinal(ws);
  };

  function roomFor(dropId: string): Room {
    const room = rooms.get(dropId);
    if (room) return room;
    const created = new Room(send, now);
    const unwatch = deps.events.watch(
      dropId,
      (e: DropEvent) => created.apply(e),
      () => void catchUp(dropId, created),
    );
    created.onEmpty = () => {
      unwatch();
      created.stop();
      rooms.delete(dropId);
      void tell(dropId, 0);
    };
    rooms.set(dropId, created);
    return created;
  }

  async function currentState(dropId: string, intentId: string) {
    const k = dropKeys(dropId);
    const [view, decisionJson, recordJson] = await Promise.all([
      readDropView(deps.redis, dropId),
      deps.redis.hget(k.decisions, intentId),
      deps.redis.hget(k.intents, intentId),
    ]);
    const d: Decision | undefined = decisionJson ? decisionOf(decisionJson) : undefined;
    const offset = d?.offset ?? (recordJson ? (JSON.parse(recordJson) as { offset: number }).offset : undefined);
    return { view, decision: d, offset };
  }

  /** The epoch taken before a read, if the subscription has stayed on that connection since. */
  const unbroken = (epoch: number | undefined) => (epoch !== undefined && deps.events.epoch() === epoch ? epoch : undefined);

  /**
   * After the drop's subscription came back from a dropped connection: what the drop and its sockets' intents
   * became meanwhile, read from Redis and applied like an event (statuses the room has not told go out).
   */
  async function catchUp(dropId: string, room: Room) {
    const epoch = deps.events.epoch();
    try {
      const ids = room.intents();
      const [view, decisions] = await Promise.all([
        readDropView(deps.redis, dropId),
        ids.length > 0 ? deps.redis.hmget(dropKeys(dropId).decisions, ...ids) : Promise.resolve([]),
      ]);
      if (!view) return;
      const missed = decisions.flatMap((j) => (j ? [decisionOf(j)] : []));
      room.apply({ drop_id: dropId, status: view.status, remaining: view.stock, decided_offset: view.decided_offset, decisions: missed });
      room.seed(view.status, view.stock, view.decided_offset, unbroken(epoch));
    } catch (err) {
      deps.logger.warn({ err, dropId }, 'waiting room could not catch up after the subscription came back');
    }
  }

  /**
   * Welcomes a socket whose connection was corked at the upgrade, and uncorks it once the welcome is written. The
   * ticket's offset tells whether the room has seen every decision of the intent; if not, Redis is asked.
   */
  async function connected(ws: WebSocket, socket: Duplex, dropId: string, intentId: string, ticketOffset: number) {
    raw.set(ws, socket);
    // A protocol error (a frame too large, text not UTF-8, bytes that are not frames): ws closes the socket.
    ws.on('error', (err) => deps.logger.debug({ err: err.message, dropId }, 'waiting-room socket broke the protocol'));
    if ((rooms.get(dropId)?.socketsOf(intentId) ?? 0) >= deps.limits.WS_SOCKETS_PER_INTENT) {
      ws.close(closes.tooManySockets.code, closes.tooManySockets.reason);
      socket.uncork();
      return;
    }
    guard.track(ws);
    const room = roomFor(dropId);
    room.add(intentId, ws);
    ws.on('close', () => room.remove(intentId, ws));
    ws.on('message', (data: Buffer) => {
      try {
        if (ws.readyState === WebSocket.OPEN && guard.admit(ws)) send(ws, replyTo(data));
      } catch (err) {
        deps.logger.error({ err, dropId }, 'waiting room could not answer a message');
        ws.close(closes.internal.code, closes.internal.reason);
      }
    });
    try {
      // What the room has seen, or reads now, counts only if the subscription stays on one connection throughout.
      const epoch = deps.events.epoch();
      await deps.events.subscribed(dropId); // then the state read below misses no event
      if (room.knows(ticketOffset, unbroken(epoch))) return room.welcome(ws, intentId, undefined, ticketOffset);
      const { view, decision, offset } = await currentState(dropId, intentId);
      if (view) room.seed(view.status, view.stock, view.decided_offset, unbroken(epoch));
      room.welcome(ws, intentId, decision, offset);
    } catch (err) {
      deps.logger.warn({ err, dropId }, 'waiting room could not read the current state');
      send(ws, { type: 'error', message: 'state unavailable; reconnect shortly' });
    } finally {
      socket.uncork();
    }
  }

  // Intents that were pre-queued when their socket connected get their offset once the drop opens.
  const placer = setInterval(() => {
    for (const [dropId, room] of rooms) {
      const ids = room.unplaced();
      if (ids.length === 0) continue;
      deps.redis
        .hmget(dropKeys(dropId).intents, ...ids)
        .then((records) =>
          records.forEach((r, i) => {
            if (r) room.place(ids[i]!, (JSON.parse(r) as { offset: number }).offset);
          }),
        )
        .catch((err: unknown) => deps.logger.warn({ err, dropId }, 'could not place pre-queued intents'));
    }
  }, 2_000);
  placer.unref();
  const teller = setInterval(() => {
    for (const [dropId, room] of rooms) void tell(dropId, room.socketCount());
  }, TELL_SOCKETS_MS);
  teller.unref();

  function refuse(socket: Duplex, status: number, text: string) {
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  }

  function admit(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = URL.parse(req.url ?? '/', 'http://edge');
    if (url === null) return refuse(socket, 400, 'Bad Request');
    const dropId = PATH.exec(url.pathname)?.[1]?.toLowerCase();
    if (dropId === undefined) return refuse(socket, 404, 'Not Found');
    const ticket = verifyTicket(url.searchParams.get('ticket') ?? '', deps.ticketSecret, now());
    if (!ticket || ticket.drop_id !== dropId) return refuse(socket, 401, 'Unauthorized');
    socket.cork(); // the 101 goes out with the first messages, in one write
    wss.handleUpgrade(req, socket, head, (ws) => {
      connected(ws, socket, dropId, ticket.intent_id, ticket.offset).catch((err: unknown) => {
        deps.logger.error({ err, dropId }, 'waiting room could not take a socket');
        ws.close(closes.internal.code, closes.internal.reason);
        socket.uncork();
      });
    });
  }

  /** The upgrade listener: whatever the request, its error ends this connection only. */
  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    // Node leaves an upgraded connection without an error listener: a client's reset would end the thread.
    socket.on('error', (err) => deps.logger.debug({ err: err.message }, 'waiting-room connection failed'));
    try {
      admit(req, socket, head);
    } catch (err) {
      deps.logger.error({ err, url: req.url }, 'waiting room could not handle an upgrade');
      refuse(socket, 500, 'Internal Server Error');
    }
  }

  return {
    attach(server: Server) {
      server.on('upgrade', upgrade);
    },
    /** Closes every socket with 1001 (going away) so clients reconnect to another edge. */
    async close() {
      clearInterval(placer);
      guard.stop();
      clearInterval(teller);
      for (const ws of wss.clients) ws.close(closes.shuttingDown.code, closes.shuttingDown.reason);
      for (const room of rooms.values()) room.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
