import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { edgeApp, startEdge } from '../edge/server.ts';
import { loadConfig } from '../platform/config.ts';
import { createRuntime } from '../platform/runtime.ts';
import { closeAll } from '../platform/shutdown.ts';
import { testRuntime, testTopics } from './helpers.ts';

const rt = testRuntime();
// A real client aimed at a port where nothing listens: Redis is down as far as the edge can tell.
const deadRedis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
deadRedis.on('error', () => {});
const live = await edgeApp(rt);

afterAll(async () => {
  await live.close();
  deadRedis.disconnect();
  await rt.redis.quit();
  await rt.sql.end();
});

describe('health', () => {
  it('answers /healthz while the process is alive', async () => {
    expect((await live.app.request('/healthz')).status).toBe(200);
  });

  it('answers /readyz 200 when PostgreSQL, Redis, Kafka and the search engine answer', async () => {
    const res = await live.app.request('/readyz');
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up', kafka: 'up', search: 'up' } });
  });

  it('answers /readyz 503 naming the dependencies that are down, and not why', async () => {
    const secret = 'connect ECONNREFUSED 10.20.30.40:6379 (redis 7.2.4, user flashline)';
    const down = await edgeApp(rt, {
      checksOf: (p) => ({ ...p, redis: () => deadRedis.ping(), search: () => Promise.reject(new Error(secret)) }),
    });
    const res = await down.app.request('/readyz');
    await down.close();
    expect(res.status).toBe(503);
    const text = await res.text();
    const body = JSON.parse(text) as { detail: string; checks: Record<string, string> };
    expect(body.detail).toBe('not reachable: redis, search');
    expect(body.checks).toEqual({ postgres: 'up', redis: 'down', kafka: 'up', search: 'down' });
    expect(text).not.toContain('10.20.30.40');
    expect(text).not.toMatch(/ECONNREFUSED|redis 7|Connection|retries/i);
  });

  it('serves Prometheus metrics that count requests by route', async () => {
    await live.app.request('/healthz');
    const text = await (await live.app.request('/metrics')).text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe('metrics on a listener of their own', () => {
  it('serves /metrics on METRICS_HOST:METRICS_PORT, and the API stops serving it', async () => {
    const own = createRuntime(loadConfig({ ...process.env, METRICS_HOST: '127.0.0.1', METRICS_PORT: '0' }));
    const topics = await testTopics(own, 1);
    const edge = await startEdge(own, { port: 0, waitingRoomPort: 0, intentsTopic: topics.intents });
    try {
      expect(edge.metricsUrl).not.toContain(new URL(edge.url).port);
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
      const api = await fetch(`${edge.url}/metrics`);
      expect(api.status).toBe(404);
      expect(await api.text()).not.toContain('process_cpu_user_seconds_total');
      const served = await fetch(edge.metricsUrl);
      expect(served.status).toBe(200);
      expect(await served.text()).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
      expect((await fetch(edge.metricsUrl.replace('/metrics', '/readyz'))).status).toBe(404);
    } finally {
      await closeAll(edge.closers, own.logger, 5_000);
      await topics.drop();
      await own.redis.quit();
      await own.sql.end();
    }
  });
});
