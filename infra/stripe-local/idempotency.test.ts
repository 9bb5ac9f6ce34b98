import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createIdempotencyStore, fingerprint } from './idempotency.ts';

describe('idempotency store', () => {
  it('runs slow concurrent duplicates once and replays the rest', async () => {
    const store = createIdempotencyStore<number>();
    let runs = 0;
    const execute = async () => {
      runs++;
      await delay(5);
      return runs;
    };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.run('k', 'fp', execute)));
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => o.kind === 'executed')).toHaveLength(1);
    const replayed = outcomes.filter((o) => o.kind === 'replayed');
    expect(replayed).toEqual(Array(9).fill({ kind: 'replayed', value: 1 }));
  });

  it('refuses another fingerprint under a remembered key', async () => {
    const store = createIdempotencyStore<string>();
    await store.run('k', fingerprint('POST', '/v1/x', 'a=1'), () => 'first');
    const other = await store.run('k', fingerprint('POST', '/v1/x', 'a=2'), () => 'second');
    expect(other).toEqual({ kind: 'mismatch' });
  });

  it('remembers nothing when execute throws, so a retry executes', async () => {
    const store = createIdempotencyStore<string>();
    await expect(store.run('k', 'fp', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await store.run('k', 'fp', () => 'ok')).toEqual({ kind: 'executed', value: 'ok' });
  });

  it('forgets the oldest key beyond maxEntries', async () => {
    const store = createIdempotencyStore<string>({ maxEntries: 1 });
    await store.run('a', 'fp', () => 'a1');
    await store.run('b', 'fp', () => 'b1');
    expect(await store.run('a', 'fp', () => 'a2')).toEqual({ kind: 'executed', value: 'a2' });
  });
});
