import type { WebSocket } from 'ws';
import { clientMessage, type ServerMessage } from '../contracts/index.ts';
import type { Config } from '../platform/index.ts';

/** The waiting room's limits on its sockets (platform/config.ts, README's Operations). */
export type SocketLimits = Pick<
  Config,
  'WS_SOCKETS_PER_INTENT' | 'WS_PING_INTERVAL_MS' | 'WS_FINAL_GRACE_MS' | 'WS_MESSAGES_PER_SECOND'
>;

/** How the waiting room ends a socket, and why; a client that stops answering pings is cut without a frame. */
export const closes = {
  tooManySockets: { code: 1008, reason: 'too many sockets for this intent' },
  tooManyMessages: { code: 1008, reason: 'too many messages' },
  final: { code: 1000, reason: 'final status told' },
  internal: { code: 1011, reason: 'internal error' },
  shuttingDown: { code: 1001, reason: 'server shutting down' },
} as const;

/** How long a socket closed for flooding has to complete the close before it is cut. */
const FLOOD_CLOSE_MS = 1_000;

/** A socket's messages in the current one-second window. */
export interface MessageWindow {
  start: number;
  count: number;
}

/** The window after one more message at `now`, and whether the socket is still within `perSecond`. */
export function countMessage(w: MessageWindow, now: number, perSecond: number): { window: MessageWindow; within: boolean } {
  const window = now - w.start >= 1_000 || now < w.start ? { start: now, count: 1 } : { start: w.start, count: w.count + 1 };
  return { window, within: window.count <= perSecond };
}

/** The answer to what a shopper sent: a pong for a ping, an error message for anything else. Never throws. */
export function replyTo(data: Buffer): ServerMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString());
  } catch {
    return { type: 'error', message: 'messages must be JSON' };
  }
  return clientMessage.safeParse(parsed).success ? { type: 'pong' } : { type: 'error', message: 'unknown message; send {"type":"ping"}' };
}

interface Tracked {
  alive: boolean;
  window: MessageWindow;
  final: NodeJS.Timeout | undefined;
}

/**
 * The rules each waiting-room socket lives by, beside what it is told: it is pinged every WS_PING_INTERVAL_MS and
 * cut when it has not answered the previous ping; more than WS_MESSAGES_PER_SECOND messages in a second close it
 * (1008; what it sends meanwhile is not answered, and it is cut FLOOD_CLOSE_MS later); once told its intent's final status it is closed (1000) after WS_FINAL_GRACE_MS.
 */
export function createSocketGuard(limits: SocketLimits, now: () => number) {
  const tracked = new Map<WebSocket, Tracked>();
  const heartbeat = setInterval(() => {
    for (const [ws, t] of tracked) {
      if (!t.alive) {
        ws.terminate();
        continue;
      }
      t.alive = false;
      ws.ping();
    }
  }, limits.WS_PING_INTERVAL_MS);
  heartbeat.unref();

  return {
    /** Starts applying the rules to a socket, until it closes. */
    track(ws: WebSocket) {
      const t: Tracked = { alive: true, window: { start: now(), count: 0 }, final: undefined };
      tracked.set(ws, t);
      ws.on('pong', () => (t.alive = true));
      ws.once('close', () => {
        clearTimeout(t.final);
        tracked.delete(ws);
      });
    },
    /** Counts a message of the socket; false, with the socket closing, when it went over. */
    admit(ws: WebSocket): boolean {
      const t = tracked.get(ws);
      if (!t) return false;
      const { window, within } = countMessage(t.window, now(), limits.WS_MESSAGES_PER_SECOND);
      t.window = window;
      if (within) return true;
      ws.close(closes.tooManyMessages.code, closes.tooManyMessages.reason);
      setTimeout(() => ws.terminate(), FLOOD_CLOSE_MS).unref(); // a flood does not get ws's 30 s to answer the close
      return false;
    },
    /** The socket has been told its intent's final status: it is closed once the grace period is over. */
    toldFinal(ws: WebSocket) {
      const t = tracked.get(ws);
      if (!t || t.final !== undefined) return;
      t.final = setTimeout(() => ws.close(closes.final.code, closes.final.reason), limits.WS_FINAL_GRACE_MS);
      t.final.unref();
    },
    stop() {
      clearInterval(heartbeat);
      for (const t of tracked.values()) clearTimeout(t.final);
    },
  };
}
