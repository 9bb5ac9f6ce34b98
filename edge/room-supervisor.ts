import { Worker } from 'node:worker_threads';
import type { Config, Logger } from '../platform/index.ts';
import type { SocketLimits } from './room-sockets.ts';

/** What the waiting room's thread is started with. */
export interface RoomThreadData {
  config: Pick<Config, 'REDIS_URL' | 'LOG_LEVEL' | 'TICKET_SECRET'> & SocketLimits;
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
  const c = o.config;
  const config: RoomThreadData['config'] = {
    REDIS_URL: c.REDIS_URL,
    LOG_LEVEL: c.LOG_LEVEL,
    TICKET_SECRET: c.TICKET_SECRET,
    WS_SOCKETS_PER_INTENT: c.WS_SOCKETS_PER_INTENT,
    WS_PING_INTERVAL_MS: c.WS_PING_INTERVAL_MS,
    WS_FINAL_GRACE_MS: c.WS_FINAL_GRACE_MS,
    WS_MESSAGES_PER_SECOND: c.WS_MESSAGES_PER_SECOND,
  };
  let closing = false;
  const start = (port: number) =>
    new Promise<{ worker: Worker; port: number }>((resolve, reject) => {
      const data: RoomThreadData = { config, host: o.host, port, backlog: o.backlog };
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
