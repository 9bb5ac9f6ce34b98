import WebSocket, { type ClientOptions } from 'ws';
import type { ServerMessage } from '../contracts/index.ts';

/** A waiting-room client that records every message; `until` waits for one that matches. */
export function openSocket(url: string, options?: ClientOptions) {
  const messages: ServerMessage[] = [];
  const ws = new WebSocket(url, options);
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString()) as ServerMessage);
    for (const w of waiters) w();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const ended = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const closed = ended.then((e) => e.code);
  return {
    ws,
    messages,
    opened,
    /** Resolves with the close code once the socket is closed, by either side. */
    closed,
    /** The same, with the reason given. */
    ended,
    /** Resolves with the first message (already received or to come) that matches. */
    until(match: (m: ServerMessage) => boolean, ms = 10_000): Promise<ServerMessage> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find(match);
          if (!m) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${ms} ms; got ${JSON.stringify(messages)}`));
        }, ms);
        if (!check()) waiters.add(check);
      });
    },
    close: () => ws.close(),
  };
}
