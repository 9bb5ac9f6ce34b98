import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { edgeApp } from '../edge/server.ts';
import { testRuntime } from './helpers.ts';

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

  it('answers /readyz 503 naming the dependency that is down', async () => {
    const down = await edgeApp(rt, { checksOf: (p) => ({ ...p, redis: () => deadRedis.ping() }) });
    const res = await down.app.request('/readyz');
    await down.close();
    expect(res.status).toBe(503);
    const body = (await res.json()) as { detail: string; checks: Record<string, string> };
    expect(body.detail).toBe('not reachable: redis');
    expect(body.checks.postgres).toBe('up');
    expect(body.checks.kafka).toBe('up');
    expect(body.checks.redis).toMatch(/^down: /);
  });

  it('serves Prometheus metrics that count requests by route', async () => {
    await live.app.request('/healthz');
    const text = await (await live.app.request('/metrics')).text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
