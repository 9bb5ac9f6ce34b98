import { describe, expect, it } from 'vitest';
import type { Decision } from '../contracts/index.ts';
import { latestPerIntent, parseDecision, reservationChange } from './reconcile.ts';
import { returnPlan } from './settle-plan.ts';

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

describe('parseDecision', () => {
  it('accepts a valid decision and names what is wrong with anything else', () => {
    const ok = d('0190a0a0-0000-7000-8000-000000000003', 1);
    expect(parseDecision(Buffer.from(JSON.stringify(ok)))).toEqual({ ok: true, decision: ok });
    expect(parseDecision(null)).toEqual({ ok: false, reason: 'empty message' });
    expect(parseDecision(Buffer.from('{'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) as unknown });
    const bad = parseDecision(Buffer.from(JSON.stringify({ ...ok, seq: 0 })));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/seq/);
  });
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

describe('returnPlan', () => {
  it('returns everything to a single warehouse', () => {
    expect(returnPlan(3, [{ warehouse_id: 'w', quantity: 10 }])).toEqual([
      { warehouse_id: 'w', quantity: 3 },
    ]);
  });

  it('splits in proportion, never above what a warehouse gave, summing to the unsold units', () => {
    const plan = returnPlan(5, [
      { warehouse_id: 'b', quantity: 2 },
      { warehouse_id: 'a', quantity: 6 },
      { warehouse_id: 'c', quantity: 2 },
    ]);
    expect(plan.reduce((n, p) => n + p.quantity, 0)).toBe(5);
    expect(plan).toEqual([
      { warehouse_id: 'a', quantity: 3 },
      { warehouse_id: 'b', quantity: 1 },
      { warehouse_id: 'c', quantity: 1 },
    ]);
  });

  it('returns nothing for nothing unsold and caps at what was taken', () => {
    expect(returnPlan(0, [{ warehouse_id: 'w', quantity: 4 }])).toEqual([]);
    expect(returnPlan(9, [{ warehouse_id: 'w', quantity: 4 }])).toEqual([{ warehouse_id: 'w', quantity: 4 }]);
    expect(returnPlan(2, [])).toEqual([]);
  });
});
