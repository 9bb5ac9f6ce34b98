import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { WebSocket, WebSocketServer } from 'ws';
import { readDropView, verifyTicket, type DropEvents } from '../admission/index.ts';
import {
  clientMessage,
  decision as decisionSchema,
  dropKeys,
  type Decision,
  type DropEvent,
  type ServerMessage,
} from '../contracts/index.ts';
import type { Logger } from '../platform/logger.ts';
import { Room } from './room.ts';

const PATH = /^\/ws\/drops\/([0-9a-f-]{36})$/i;

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

  /** A message, or one already serialized (a broadcast is serialized once for all its sockets). */
  const send = (ws: WebSocket, m: ServerMessage | string) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > 1 << 20) return ws.terminate(); // a reader this slow is gone
    ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  };

  function roomFor(dropId: string): Room {
    const room = rooms.get(dropId);
    if (room) return room;
    const created = new Room(send, now);
    const unwatch = deps.events.watch(dropId, (e: DropEvent) => created.apply(e));
    created.onEmpty = () => {
      unwatch();
      created.stop();
      rooms.delete(dropId);
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
    const d: Decision | undefined = decisionJson ? decisionSchema.parse(JSON.parse(decisionJson)) : undefined;
    const offset = d?.offset ?? (recordJson ? (JSON.parse(recordJson) as { offset: number }).offset : undefined);
    return { view, decision: d, offset };
  }

  async function connected(ws: WebSocket, dropId: string, intentId: string) {
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
      const { view, decision, offset } = await currentState(dropId, intentId);
      if (view) room.seed(view.status, view.stock, view.decided_offset);
      room.welcome(ws, intentId, decision, offset);
    } catch (err) {
      deps.logger.warn({ err, dropId }, 'waiting room could not read the current state');
      send(ws, { type: 'error', message: 'state unavailable; reconnect shortly' });
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

  function refuse(socket: Duplex, status: number, text: string) {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://edge');
    const dropId = PATH.exec(url.pathname)?.[1]?.toLowerCase();
    if (dropId === undefined) return refuse(socket, 404, 'Not Found');
    const ticket = verifyTicket(url.searchParams.get('ticket') ?? '', deps.ticketSecret, now());
    if (!ticket || ticket.drop_id !== dropId) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => void connected(ws, dropId, ticket.intent_id));
  }

  return {
    attach(server: Server) {
      server.on('upgrade', upgrade);
    },
    /** Closes every socket with 1001 (going away) so clients reconnect to another edge. */
    async close() {
      clearInterval(placer);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      for (const room of rooms.values()) room.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    /** Sockets open now, for metrics and tests. */
    size: () => wss.clients.size,
  };
}
