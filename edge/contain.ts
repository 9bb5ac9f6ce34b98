import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../platform/index.ts';
import { writeProblem } from './problem.ts';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Answers a connection whose bytes are not HTTP the server can parse (400, 431 for headers too large, 408 when
 * they came too slowly) and closes it, or just closes it when the client is gone; the server and its other
 * connections go on.
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    logger.debug({ err: err.message, code: err.code }, 'unreadable request');
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
}

/**
 * The listener with its errors contained: one it throws or rejects with is logged and ends that request alone
 * (a generic 500 problem when nothing was sent yet, else the connection is cut), never the process.
 */
export function containRequests(listener: RequestListener, logger: Logger): RequestListener {
  const fail = (req: IncomingMessage, res: ServerResponse) => (err: unknown) => {
    logger.error({ err, method: req.method, url: req.url }, 'request handler failed');
    if (res.headersSent) return void res.destroy();
    writeProblem(res, 'internal', 'an unexpected error occurred', req.url ?? '/', undefined, { headers: { Connection: 'close' } });
  };
  return (req, res) => {
    try {
      const pending = listener(req, res);
      if (pending instanceof Promise) pending.catch(fail(req, res));
    } catch (err) {
      fail(req, res)(err);
    }
  };
}
