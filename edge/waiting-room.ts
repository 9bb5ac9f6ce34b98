import type { IncomingMessage, Server } from 'node:http';
import { Worker } from 'node:worker_threads';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { WebSocket, WebSocketServer } from 'ws';
import { randomUUID } from 'node:crypto';
import { readDropView, tellSockets, verifyTicket, type DropEvents } from '../admission/index.ts';
import {
  clientMessage,
  decisionOf,
  dropKeys,
  type Decision,
  type DropEvent,
  type ServerMessage,
} from '../contracts/index.ts';
import type { Config, Logger } from '../platform/index.ts';
import { Room } from './room.ts';

const PATH = /^\/ws\/drops\/([0-9a-f-]{36})$/i;
/** How often a waiting room tells Redis its open sockets per drop (the ops figures and /metrics read them). */
const TELL_SOCKETS_MS = 2_000;

/**
 * The WebSocket waiting room at /ws/drops/{drop_id}?ticket=…: a socket with a valid ticket for
 * that drop first gets the current state, then every change of its intent and of the drop, and its
 * position as the line moves. A bad or foreign ticket is refused before the upgrade (401).
 */
export function createWaitingRoom(deps: {
  redis: Redis;
  events: DropEvents;
  ticketSecret: string;
  logger: Logger;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const rooms = new Map<string, Room>();
  const instance = randomUUID();
  const tell = (dropId: string, count: number) =>
    tellSockets(deps.redis, dropId, instance, count, now()).catch((err: unknown) =>
      deps.logger.warn({ err, dropId }, 'could not tell the waiting room’s sockets'),
    );

  /** The connection under each WebSocket. */
  const raw = new WeakMap<WebSocket, Duplex>();

  /**
   * A message, or one already serialized (a broadcast is serialized once for all its sockets). A socket's
   * messages of one turn of the event loop leave in one write: each write wakes the reader, and a crowd's
   * sockets are told several things at once (the drop and a position, a status and the sell-out).
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
    const room = roomFor(dropId);
    room.add(intentId, ws);
    ws.on('close', () => room.remove(intentId, ws));
    ws.on('message', (data: Buffer) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return send(ws, { type: 'error', message: 'messages must be JSON' });
      }
      const m = clientMessage.safeParse(parsed);
      send(ws, m.success ? { type: 'pong' } : { type: 'error', message: 'unknown message; send {"type":"ping"}' });
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
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://edge');
    const dropId = PATH.exec(url.pathname)?.[1]?.toLowerCase();
    if (dropId === undefined) return refuse(socket, 404, 'Not Found');
    const ticket = verifyTicket(url.searchParams.get('ticket') ?? '', deps.ticketSecret, now());
    if (!ticket || ticket.drop_id !== dropId) return refuse(socket, 401, 'Unauthorized');
    socket.cork(); // the 101 goes out with the first messages, in one write
    wss.handleUpgrade(req, socket, head, (ws) => void connected(ws, socket, dropId, ticket.intent_id, ticket.offset));
  }

  return {
    attach(server: Server) {
      server.on('upgrade', upgrade);
    },
    /** Closes every socket with 1001 (going away) so clients reconnect to another edge. */
    async close() {
      clearInterval(placer);
      clearInterval(teller);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      for (const room of rooms.values()) room.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** What the waiting room's thread is started with. */
export interface RoomThreadData {
  config: Pick<Config, 'REDIS_URL' | 'LOG_LEVEL' | 'TICKET_SECRET'>;
  host: string;
  port: number;
  backlog: number;
}

/** What the waiting room's thread tells the edge. */
export type RoomThreadReply = { type: 'listening'; port: number } | { type: 'failed'; message: string } | { type: 'closed' };

export interface WaitingRoomThread {
  /** The port the waiting room listens on. */
  port: number;
  /** The thread serving it now; a thread that dies is replaced. */
  thread(): Worker;
  /** Closes every socket with 1001 (going away), stops listening and ends the thread. */
  close(): Promise<void>;
}

/**
 * The waiting room in a thread of its own, on a port of its own, with its own Redis connections and drop events.
 * Why a thread: libuv accepts one connection per turn of the event loop, and the edge's loop, busy with a
 * crowd's requests, turns only tens of times a second, so waiting-room sockets sat for seconds in the accept
 * queue; this thread's loop turns as fast as sockets arrive, and the fan-out of a drop's events runs beside the
 * requests instead of between them. Resolves once it listens. A thread that dies is started again on the same
 * port (its sockets are lost; clients reconnect and are sent the current state first).
 */
export async function startWaitingRoom(o: {
  config: RoomThreadData['config'];
  host: string;
  port: number;
  backlog: number;
  logger: Logger;
}): Promise<WaitingRoomThread> {
  const { REDIS_URL, LOG_LEVEL, TICKET_SECRET } = o.config;
  let closing = false;
  const start = (port: number) =>
    new Promise<{ worker: Worker; port: number }>((resolve, reject) => {
      const data: RoomThreadData = { config: { REDIS_URL, LOG_LEVEL, TICKET_SECRET }, host: o.host, port, backlog: o.backlog };
      const worker = new Worker(new URL('./waiting-room-thread.ts', import.meta.url), { workerData: data });
      worker.on('error', (err) => o.logger.error({ err }, 'waiting room thread failed'));
      worker.once('exit', () => reject(new Error('waiting room thread exited before listening')));
      worker.on('message', (m: RoomThreadReply) => {
        if (m.type === 'listening') resolve({ worker, port: m.port });
        if (m.type === 'failed') {
          reject(new Error(`waiting room cannot listen on ${o.host}:${port}: ${m.message}`));
          void worker.terminate();
        }
      });
    });

  const first = await start(o.port);
  const port = first.port;
  let worker = first.worker;
  const restart = () => {
    if (closing) return;
    start(port).then(
      (s) => {
        worker = s.worker;
        supervise();
      },
      (err: unknown) => {
        o.logger.error({ err }, 'waiting room thread did not start; trying again');
        setTimeout(restart, 1_000);
      },
    );
  };
  const supervise = () =>
    worker.once('exit', (code) => {
      if (closing) return;
      o.logger.error({ code }, 'waiting room thread stopped; starting it again');
      restart();
    });
  supervise();

  return {
    port,
    thread: () => worker,
    async close() {
      closing = true;
      const w = worker;
      if (w.threadId === -1) return; // died, and not started again since
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.on('message', (m: RoomThreadReply) => m.type === 'closed' && void w.terminate());
        w.postMessage({ type: 'close' });
      });
    },
  };
}
