import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortsFree, listeningInodes } from './ports.ts';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4535 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 9999 1 0000000000000000 20 4 30 10 -1
   2: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4536 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6584 1 0000000000000000 100 0 0 10 0
`;

describe('listeningInodes', () => {
  it('finds the sockets listening on a port, not its connections or other ports', () => {
    expect(listeningInodes(TCP, 8080)).toEqual(['4535']);
    expect(listeningInodes(TCP, 8081)).toEqual(['4536']);
    expect(listeningInodes(TCP6, 8080)).toEqual(['6584']);
    expect(listeningInodes(TCP, 9)).toEqual([]);
    expect(listeningInodes('', 8080)).toEqual([]);
  });
});

describe('assertPortsFree', () => {
  let held: Server | undefined;
  afterEach(() => held?.close());

  it('names the variable, the address and the process holding the port', async () => {
    held = createServer();
    await new Promise<void>((resolve) => held!.listen(0, '127.0.0.1', resolve));
    const { port } = held.address() as { port: number };
    const check = assertPortsFree([{ name: 'WS_PORT', host: '127.0.0.1', port }]);
    await expect(check).rejects.toThrow(`cannot start:\n  WS_PORT: 127.0.0.1:${port} is in use by pid ${process.pid} (`);
  });

  it('passes free and any-port listeners, and refuses one port set twice', async () => {
    await expect(assertPortsFree([{ name: 'PORT', host: '127.0.0.1', port: 0 }, { name: 'WS_PORT', host: '127.0.0.1', port: 0 }])).resolves.toBeUndefined();
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    await expect(assertPortsFree([{ name: 'PORT', host: '127.0.0.1', port }])).resolves.toBeUndefined();
    await expect(
      assertPortsFree([
        { name: 'PORT', host: '127.0.0.1', port },
        { name: 'WS_PORT', host: '127.0.0.1', port },
      ]),
    ).rejects.toThrow(`WS_PORT ${port} is the port of PORT too`);
  });
});
