import { describe, expect, it } from 'vitest';
import { returnPlan } from './settle-plan.ts';

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
