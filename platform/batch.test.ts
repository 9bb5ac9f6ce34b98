import { describe, expect, it } from 'vitest';
import { batched } from './batch.ts';

describe('batched', () => {
  it('answers the calls of one turn with one run, each its own output', async () => {
    const runs: number[][] = [];
    const double = batched((xs: number[]) => {
      runs.push(xs);
      return Promise.resolve(xs.map((x) => x * 2));
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it('fails every call of a batch whose run fails, and runs the next batch afresh', async () => {
    let fail = true;
    const f = batched((xs: number[]) => (fail ? Promise.reject(new Error('down')) : Promise.resolve(xs)));
    const results = await Promise.allSettled([f(1), f(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await f(3)).toBe(3);
  });
});
