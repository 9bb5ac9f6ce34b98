import WebSocket from 'ws';
import { finalStatuses, type IntentStatus } from '../contracts/index.ts';
import { answerParent } from './children.ts';

/**
 * Waiting-room clients for `bench/drop.ts`, in a process of their own (each socket is an open file, and a
 * process may hold 20,000): opens every ws_url the parent sends, at most MAX_OPENING handshakes at a time, and
 * records when each socket opened and when it was told its intent's final status.
 */
const MAX_OPENING = 1024;

interface Waiter {
  ws?: WebSocket;
  openedAt?: number;
  toldAt?: number;
  status?: string;
  failed?: string;
  messages: number;
}

const waiters: Waiter[] = [];
const queue: string[] = [];
let opening = 0;

function open(url: string) {
  const w: Waiter = { messages: 0 };
  waiters.push(w);
  opening++;
  let settled = false;
  const handshakeDone = () => {
    if (settled) return;
    settled = true;
    opening--;
    pump();
  };
  const ws = new WebSocket(url, { perMessageDeflate: false });
  w.ws = ws;
  ws.on('open', () => {
    w.openedAt = Date.now();
    handshakeDone();
  });
  ws.on('message', (data: Buffer) => {
    w.messages++;
    if (w.toldAt !== undefined) return;
    const m = JSON.parse(data.toString()) as { type: string; status?: string };
    if (m.type === 'status' && m.status !== undefined && finalStatuses.has(m.status as IntentStatus)) {
      w.toldAt = Date.now();
      w.status = m.status;
    }
  });
  ws.on('unexpected-response', (_req, res) => {
    w.failed = `refused ${res.statusCode}`;
    handshakeDone();
  });
  ws.on('error', (err) => {
    w.failed ??= err.message;
    handshakeDone();
  });
  ws.on('close', () => handshakeDone());
}

function pump() {
  while (opening < MAX_OPENING && queue.length > 0) open(queue.shift()!);
}

process.on('message', (m: { type: string; urls?: string[] }) => {
  if (m.type !== 'open' || !m.urls) return;
  queue.push(...m.urls);
  pump();
});

const counts = () => ({
  asked: waiters.length + queue.length,
  open: waiters.filter((w) => w.ws?.readyState === WebSocket.OPEN).length,
  told: waiters.filter((w) => w.toldAt !== undefined).length,
  failed: waiters.filter((w) => w.failed !== undefined).length,
});

answerParent({
  progress: () => counts(),
  /** Per socket: [opened at, told at, final status] (absent values as null). */
  report: () => ({
    ...counts(),
    sockets: waiters.map((w) => [w.openedAt ?? null, w.toldAt ?? null, w.status ?? null, w.failed ?? null]),
  }),
  close: () => {
    for (const w of waiters) w.ws?.terminate();
    return {};
  },
});
process.send?.({ type: 'ready' });
process.on('SIGTERM', () => process.exit(0));
