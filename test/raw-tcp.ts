import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** What a server answered on a raw connection, and whether it closed the connection. */
export interface RawAnswer {
  text: string;
  closed: boolean;
}

/**
 * Writes bytes on a fresh TCP connection to 127.0.0.1:port and resolves with everything read until the server
 * closes the connection (or, with `head`, until the head of an answer has been read), or with what was read so
 * far once `ms` have passed.
 */
export function rawExchange(port: number, bytes: string | Buffer, o: { ms?: number; head?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => done(false), o.ms ?? 5_000);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (o.head === true && text.includes('\r\n\r\n')) done(false);
    });
    socket.on('error', () => {}); // a reset is reported as a close
    socket.once('close', () => done(true));
    socket.write(bytes);
  });
}

/** The lines of a WebSocket upgrade request for `target`, as a client sends them. */
export const upgradeRequest = (target: string): string =>
  [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');

/**
 * A WebSocket opened by hand on a raw TCP connection: resolves with the socket once the server's 101 has been
 * read, so a test can write any bytes on it. `closed` resolves when the server ends the connection.
 */
export function rawWebSocket(port: number, target: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.on('data', () => {}); // later frames are read and dropped
      if (head.startsWith('HTTP/1.1 101')) resolve({ socket, closed });
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
    socket.on('error', () => {});
    socket.once('close', () => reject(new Error('connection closed before the upgrade'))); // no-op once resolved
    socket.write(upgradeRequest(target));
  });
}
