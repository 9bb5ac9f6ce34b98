import { describe, expect, it } from 'vitest';
import { Buckets } from './stats.ts';

describe('Buckets', () => {
  it('finds the most counted second, in whole buckets', () => {
    const b = new Buckets(0, 100);
    for (let t = 0; t < 3_000; t += 10) b.add(t, t >= 1_200 && t < 2_200 ? 3 : 1); // 3 a tick from 1.2 s to 2.2 s
    expect(b.bestSecond()).toBe(300);
    b.add(2_990, 250); // the last second (2.0–3.0 s) now holds 20·3 + 80 + 250
    expect(b.bestSecond()).toBe(390);
    expect(new Buckets(0, 100).bestSecond()).toBe(0);
  });
});
