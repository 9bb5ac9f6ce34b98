import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { createDropEvents } from '../admission/index.ts';
import { createLogger, createRedis } from '../platform/index.ts';
import { answerClientErrors, containRequests } from './contain.ts';
import { writeProblem } from './problem.ts';
import type { RoomThreadData, RoomThreadReply } from './room-supervisor.ts';
import { createWaitingRoom } from './waiting-room.ts';

// The waiting room's thread (see startWaitingRoom): its own Redis connections, drop events and listener.
const { config, host, port, backlog } = workerData as RoomThreadData;
const logger = createLogger(config, 'waiting-room');
const subscriber = createRedis(config, logger, `flashline:waiting-room:${process.pid}`);
// A socket's state is three reads: auto-pipelined, the reads of all the sockets of a turn go in one write.
const redis = subscriber.duplicate({ enableAutoPipelining: true });
const events = createDropEvents(subscriber, logger);
const room = createWaitingRoom({ redis, events, ticketSecret: config.TICKET_SECRET, limits: config, logger });
const reply = (m: RoomThreadReply) => parentPort!.postMessage(m);

// This port is not the API: a request that is not a WebSocket upgrade gets 404.
const server: Server = createServer(
  containRequests(
    (req, res) =>
      writeProblem(res, 'not_found', 'this port serves the waiting room over WebSocket only', req.url ?? '/', undefined, {
        headers: { Connection: 'close' },
      }),
    logger,
  ),
);
answerClientErrors(server, logger);
room.attach(server);
server.once('error', (err) => reply({ type: 'failed', message: err.message }));
server.listen({ host, port, backlog }, () => reply({ type: 'listening', port: (server.address() as AddressInfo).port }));

parentPort!.on('message', (m: { type: string }) => {
  if (m.type !== 'close') return;
  void (async () => {
    await room.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await events.close();
    await redis.quit();
    reply({ type: 'closed' });
  })();
});
