import { describe, expect, it } from 'vitest';
import { interestRows } from './interest.ts';

const mug = '0190a0a0-0000-7000-8000-000000000004';
const lamp = '0190A0A0-0000-7000-8000-000000000005';

describe('interest counts', () => {
  it('reads views and cart adds per product and day, and leaves out fields it did not write', () => {
    expect(
      interestRows({
        [`v:2026-03-01:${mug}`]: '7',
        [`c:2026-03-01:${mug}`]: '2',
        [`v:2026-03-02:${mug}`]: '1',
        [`c:2026-03-01:${lamp}`]: '1',
        'x:2026-03-01:nope': '5',
        [`v:yesterday:${mug}`]: '5',
        [`v:2026-03-01:not-an-id`]: '5',
        [`v:2026-03-03:${mug}`]: 'many',
      }),
    ).toEqual([
      { product_id: mug, day: '2026-03-01', views: 7, cart_adds: 2 },
      { product_id: mug, day: '2026-03-02', views: 1, cart_adds: 0 },
      { product_id: lamp.toLowerCase(), day: '2026-03-01', views: 0, cart_adds: 1 },
    ]);
  });
});
