import { describe, expect, it } from 'vitest';
import type { Decision } from '../contracts/index.ts';
import { latestPerIntent, reservationChange } from './decisions.ts';

const d = (intent_id: string, seq: number, status: Decision['status'] = 'reserved'): Decision => ({
  type: 'decision',
  v: 1,
  drop_id: '0190a0a0-0000-7000-8000-000000000001',
  intent_id,
  user_id: '0190a0a0-0000-7000-8000-000000000002',
  quantity: 1,
  status,
  seq,
  offset: seq,
  at: 1,
});

describe('latestPerIntent', () => {
  it('keeps the highest seq per intent, whatever the order and duplicates', () => {
    const out = latestPerIntent([d('a', 2), d('b', 1), d('a', 5, 'purchased'), d('a', 3), d('b', 1)]);
    expect(out.map((x) => [x.intent_id, x.seq, x.status])).toEqual([
      ['a', 5, 'purchased'],
      ['b', 1, 'reserved'],
    ]);
  });
});

describe('reservationChange', () => {
  it('holds, commits, expires or releases', () => {
    expect(reservationChange('reserved')).toEqual({ op: 'upsert', status: 'held' });
    expect(reservationChange('purchased')).toEqual({ op: 'upsert', status: 'committed' });
    expect(reservationChange('expired')).toEqual({ op: 'update', status: 'expired' });
    expect(reservationChange('payment_failed')).toEqual({ op: 'update', status: 'released' });
    expect(reservationChange('cancelled')).toEqual({ op: 'update', status: 'released' });
    expect(reservationChange('waitlisted')).toBeNull();
  });
});
