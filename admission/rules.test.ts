import { describe, expect, it } from 'vitest';
import type { DropView } from './drop-view.ts';
import { effectiveStatus, gateJoin, overStatus, positionOf } from './rules.ts';

const view: DropView = {
  drop_id: 'd',
  status: 'open',
  quantity: 10,
  stock: 10,
  held: 0,
  purchased: 0,
  decided_offset: -1,
  last_offset: -1,
  per_user_limit: 2,
  queue_limit: 20,
  hold_seconds: 300,
  starts_at: 1_000,
  ends_at: 5_000,
  partition: 0,
};

describe('admission rules', () => {
  it('lets a join within the limits through', () => {
    expect(gateJoin(view, 2, 2_000)).toBe(view);
  });

  it('answers 404 for an unknown drop, 410 for a sold-out or ended one, 409 beyond the per-user limit', () => {
    expect(() => gateJoin(null, 1, 0)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(() => gateJoin({ ...view, status: 'sold_out' }, 1, 2_000)).toThrow(
      expect.objectContaining({ kind: 'gone', details: { reason: 'sold_out' } }),
    );
    expect(() => gateJoin(view, 1, 5_000)).toThrow(expect.objectContaining({ kind: 'gone', details: { reason: 'ended' } }));
    expect(() => gateJoin(view, 3, 2_000)).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('lets a user who holds a place in a drop that is over through, to be answered with the intent', () => {
    expect(gateJoin({ ...view, status: 'sold_out' }, 1, 2_000, true)).toMatchObject({ status: 'sold_out' });
    expect(gateJoin(view, 1, 5_000, true)).toBe(view);
    expect(() => gateJoin(view, 3, 5_000, true)).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('treats a drop past its end as ended unless it sold out first', () => {
    expect(effectiveStatus(view, 6_000)).toBe('ended');
    expect(effectiveStatus({ ...view, status: 'sold_out' }, 6_000)).toBe('sold_out');
    expect([overStatus(view, 4_999), overStatus(view, 5_000), overStatus({ ...view, status: 'sold_out' }, 0)]).toEqual([
      undefined,
      'ended',
      'sold_out',
    ]);
  });

  it('counts undecided intents ahead, never below zero', () => {
    expect(positionOf(10, 3)).toBe(7);
    expect(positionOf(3, 10)).toBe(0);
  });
});
