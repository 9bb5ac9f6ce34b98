import { describe, expect, it } from 'vitest';
import { batched, batchedLookup, firstOfEach, groupBy } from './batch.ts';

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

  it('runs each input alone when a batch is refused for its data, so one bad input fails only its own call', async () => {
    const runs: number[][] = [];
    const f = batched((xs: number[]) => {
      runs.push(xs);
      return xs.includes(2) ? Promise.reject(Object.assign(new Error('bad input'), { code: '23505' })) : Promise.resolve(xs);
    });
    const results = await Promise.allSettled([f(1), f(2), f(3)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 'bad input', 3]);
    expect(runs).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails every call of a batch that fails for another reason, without running them again', async () => {
    let runs = 0;
    const f = batched((_: number[]) => {
      runs++;
      return Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' }));
    });
    const results = await Promise.allSettled([f(1), f(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(1);
  });
});

describe('batchedLookup', () => {
  it('answers each call its own row by lower-case id, or undefined, from one lookup', async () => {
    const asked: string[][] = [];
    const find = batchedLookup((ids: string[]) => {
      asked.push(ids);
      return Promise.resolve(new Map([['a1', 'first']]));
    });
    expect(await Promise.all([find('A1'), find('b2')])).toEqual(['first', undefined]);
    expect(asked).toEqual([['A1', 'b2']]);
  });
});

describe('firstOfEach and groupBy', () => {
  it('keep the order given', () => {
    const items = [{ k: 'x', n: 1 }, { k: 'y', n: 2 }, { k: 'x', n: 3 }];
    expect(firstOfEach(items, (i) => i.k).map((i) => i.n)).toEqual([1, 2]);
    expect([...groupBy(items, (i) => i.k)].map(([k, g]) => [k, g.map((i) => i.n)])).toEqual([
      ['x', [1, 3]],
      ['y', [2]],
    ]);
  });
});
