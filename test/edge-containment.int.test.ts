import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type EdgeServer } from '../edge/server.ts';
import { closeAll } from '../platform/shutdown.ts';
import { testRuntime, testTopics } from './helpers.ts';
import { rawExchange, upgradeRequest } from './raw-tcp.ts';

// The API's own listener under bytes no client should send: each gets a 4xx and a closed connection, and the
// edge, which runs in this process, goes on answering.
const rt = testRuntime();
let topics: Awaited<ReturnType<typeof testTopics>>;
let edge: EdgeServer;
let port: number;
beforeAll(async () => {
  topics = await testTopics(rt, 1);
  edge = await startEdge(rt, { port: 0, waitingRoomPort: 0, intentsTopic: topics.intents });
  port = Number(new URL(edge.url).port);
});
afterAll(async () => {
  await closeAll(edge.closers, rt.logger, 5_000);
  await topics.drop();
  await rt.redis.quit();
  await rt.sql.end();
});

const request = (target: string, headers: string[] = []) =>
  [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers, '', ''].join('\r\n');

describe('the API listener under hostile bytes', () => {
  it('answers targets that are not URLs, upgrades included, with a 4xx and goes on serving', async () => {
    const drop = '01a21a00-0000-7000-8000-000000000000';
    const sent = [
      request('//['),
      request('/['),
      request('http://['),
      request('*'),
      request(`/api/v1/drops/${drop}/intents`, ['Authorization: Bearer \u00ff\u00fe.x.y']),
      upgradeRequest('//['),
      upgradeRequest(`/ws/drops/${drop}?ticket=%`),
      `POST /api/v1/drops/${drop}/intents HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer a.b.c\r\nContent-Length: 2\r\n\r\n{}`,
    ];
    for (const bytes of sent) {
      const answer = await rawExchange(port, bytes, { head: true });
      expect(answer.text, bytes).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
  });

  it('answers bytes that are not HTTP with 400, headers too large with 431, and closes them', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['GARBAGE\r\n\r\n', /^HTTP\/1\.1 400 /],
      [Buffer.from('16030100a5010000a10303', 'hex'), /^HTTP\/1\.1 400 /],
      ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', /^HTTP\/1\.1 400 /],
      [Buffer.concat([Buffer.from('GET /\u0000 HTTP/1.1\r\n'), randomBytes(300), Buffer.from('\r\n\r\n')]), /^HTTP\/1\.1 400 /],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, /^HTTP\/1\.1 431 /],
    ];
    for (const [bytes, status] of cases) {
      const answer = await rawExchange(port, bytes);
      expect(answer.text).toMatch(status);
      expect(answer.closed).toBe(true);
    }
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
  });
});
