import { describe, expect, it } from 'vitest';
import type { DropFigures } from '../admission/index.ts';
import { panelSample, quantileBetween, type Buckets } from './live-panel.ts';

const buckets = (counts: [number, number][]): Buckets => counts.map(([le, count]) => ({ le, count }));

describe('quantileBetween', () => {
  it('interpolates within the bucket that holds the rank, like histogram_quantile', () => {
    // 100 observations: 50 at or below 10 ms, 100 at or below 20 ms.
    const after = buckets([[0.01, 50], [0.02, 100], [Infinity, 100]]);
    expect(quantileBetween([], after, 0.5)).toBeCloseTo(0.01);
    expect(quantileBetween([], after, 0.99)).toBeCloseTo(0.0198);
  });

  it('counts only the observations made since the earlier reading', () => {
    const before = buckets([[0.01, 1000], [0.02, 1000], [Infinity, 1000]]);
    const after = buckets([[0.01, 1000], [0.02, 1010], [Infinity, 1010]]);
    expect(quantileBetween(before, after, 0.99)).toBeGreaterThan(0.01);
  });

  it('is null without observations, and the highest bound when the rank is in the open bucket', () => {
    expect(quantileBetween([], buckets([[0.01, 0], [Infinity, 0]]), 0.99)).toBeNull();
    expect(quantileBetween([], buckets([[0.01, 1], [Infinity, 10]]), 0.99)).toBe(0.01);
  });
});

const figures = (o: Partial<DropFigures>): DropFigures => ({
  drop_id: 'd',
  status: 'open',
  quantity: 10,
  remaining: 10,
  held: 0,
  purchased: 0,
  decisions: 0,
  intents: 0,
  queue_depth: 0,
  sockets: 0,
  ...o,
});

describe('panelSample', () => {
  it('has no rates on the first reading', () => {
    const s = panelSample(undefined, { at: 1_000, figures: figures({ decisions: 40 }), joins: 50, buckets: [] });
    expect(s).toMatchObject({ joins_per_s: 0, decisions_per_s: 0, p99_join_ms: null, remaining: 10 });
  });

  it('takes rates per second against the reading before, and the p99 of the joins between them', () => {
    const prev = { at: 1_000, figures: figures({ decisions: 40 }), joins: 50, buckets: buckets([[0.01, 50], [Infinity, 50]]) };
    const cur = {
      at: 3_000,
      figures: figures({ decisions: 140, remaining: 2, held: 3, purchased: 5 }),
      joins: 250,
      buckets: buckets([[0.01, 250], [Infinity, 250]]),
    };
    expect(panelSample(prev, cur)).toMatchObject({
      joins_per_s: 100,
      decisions_per_s: 50,
      remaining: 2,
      held: 3,
      purchased: 5,
      p99_join_ms: 9.9,
    });
  });
});
