import { afterAll, describe, expect, it } from 'vitest';
import { createSagaLease } from '../checkout/lease.ts';
import { newId } from '../contracts/index.ts';
import { testRuntime } from './helpers.ts';

const rt = testRuntime();
afterAll(async () => {
  await rt.redis.quit();
  await rt.sql.end();
});

describe('saga lease', () => {
  it('has one holder at a time, also among asks of the same turn, until released or lapsed', async () => {
    const lease = createSagaLease(rt.sql, 300);
    const id = newId();
    const other = newId();
    const [a, b, c] = await Promise.all([lease.acquire(id), lease.acquire(id.toUpperCase()), lease.acquire(other)]);
    expect([a, b].filter((o) => o !== undefined)).toHaveLength(1);
    expect(c).toBeDefined();
    const holder = (a ?? b)!;
    expect(await lease.acquire(id)).toBeUndefined();
    expect(await lease.renew(id, holder)).toBe(true);
    await lease.release(id, holder);
    const next = await lease.acquire(id);
    expect(next).toBeDefined();
    // Not synchronisation: time has to pass for the lease (300 ms) to lapse, and that it lapsed by then is what the
    // next two lines assert. Polling until it lapsed would also pass for a lease that lapses much too late.
    await new Promise((r) => setTimeout(r, 350));
    expect(await lease.acquire(id)).toBeDefined(); // the lease of `next` lapsed
    expect(await lease.renew(id, next!)).toBe(false);
  });
});
