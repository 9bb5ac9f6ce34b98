import { describe, expect, it } from 'vitest';
import { runChecks } from './health.ts';

describe('runChecks', () => {
  it('reports each check, with a failure or a time-out as the reason', async () => {
    const results = await runChecks(
      {
        fine: () => Promise.resolve(),
        broken: () => Promise.reject(new Error('connection refused')),
        stuck: () => new Promise(() => {}),
      },
      50,
    );
    expect(results).toEqual({
      fine: { ok: true },
      broken: { ok: false, error: 'connection refused' },
      stuck: { ok: false, error: 'no answer within 50 ms' },
    });
  });
});
