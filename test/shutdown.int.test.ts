import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { tag } from './helpers.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** One HTTP request over the agent; resolves with the status or the error's code. */
const send = (agent: Agent, port: number, method: string, path: string, body?: unknown) =>
  new Promise<number | string>((resolve) => {
    const req = request({ agent, host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });

const REGISTRATIONS = 10;

describe('graceful shutdown', () => {
  it('answers every request on accepted connections after SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['edge/main.ts'], {
      // Sign-ins queue for a hash slot instead of being shed, and the drain may take as long as they need.
      env: {
        ...process.env,
        PORT: String(port),
        WS_PORT: '0',
        LOG_LEVEL: 'warn',
        PASSWORD_HASH_WAIT_MS: '60000',
        SHUTDOWN_TIMEOUT_MS: '60000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const agent = new Agent({ keepAlive: true, maxSockets: 40 });
    await expect
      .poll(() => send(agent, port, 'GET', '/healthz'), {
        timeout: 20_000,
        interval: 100,
        message: 'edge did not start',
      })
      .toBe(200);
    // Open the 40 connections first, so the load below runs on sockets the server has accepted.
    expect(await Promise.all(Array.from({ length: 40 }, () => send(agent, port, 'GET', '/healthz')))).toEqual(
      Array(40).fill(200),
    );

    // Registrations hash a password (scrypt, half a second of a core each, two at a time), so each takes a
    // while: many are in flight when the signal lands.
    const t = tag();
    let answered = 0;
    const inflight = Array.from({ length: REGISTRATIONS }, (_, i) =>
      send(agent, port, 'POST', '/api/v1/auth/register', {
        email: `sigterm-${t}-${i}@example.test`,
        password: 'long enough',
        name: 'S',
      }).then((status) => {
        answered++;
        return status;
      }),
    );
    // The signal lands once the edge is answering registrations: the first is done, the others still in flight.
    await expect.poll(() => answered, { timeout: 20_000, interval: 5 }).toBeGreaterThan(0);
    const answeredBeforeSignal = answered;
    child.kill('SIGTERM');
    const statuses = await Promise.all(inflight);
    const [code] = (await once(child, 'exit')) as [number | null];
    agent.destroy();
    expect(stderr).toBe('');
    expect(answeredBeforeSignal).toBeLessThan(REGISTRATIONS);
    expect(statuses).toEqual(Array(REGISTRATIONS).fill(201));
    expect(code).toBe(0);
    expect(await send(new Agent(), port, 'GET', '/healthz')).toBe('ECONNREFUSED');
  }, 120_000);
});
