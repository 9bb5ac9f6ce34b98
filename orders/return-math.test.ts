import { describe, expect, it } from 'vitest';
import { restockPlan, returnable, returnProblems, returnRefundCents, returnWindowEnd, type BoughtLine } from './return-math.ts';

// Three mugs from two warehouses (2 + 1) at 1,000 and one lamp at 3,000: subtotal 6,000, tax 600, shipping 500.
const lines: BoughtLine[] = [
  { line_no: 1, product_id: 'mug', warehouse_id: 'east', quantity: 2, unit_price_cents: 1_000 },
  { line_no: 2, product_id: 'mug', warehouse_id: 'west', quantity: 1, unit_price_cents: 1_000 },
  { line_no: 3, product_id: 'lamp', warehouse_id: 'east', quantity: 1, unit_price_cents: 3_000 },
];
const order = { subtotal_cents: 6_000, tax_cents: 600, total_cents: 7_100 };

describe('returns', () => {
  it('leaves returnable what was bought minus what earlier returns asked for', () => {
    expect(returnable(lines, [{ product_id: 'mug', quantity: 2 }])).toEqual(
      new Map([
        ['mug', 1],
        ['lamp', 1],
      ]),
    );
  });

  it('names each line asking for a product not bought or for more than is left', () => {
    const earlier = [{ product_id: 'mug', quantity: 2 }];
    expect(returnProblems(lines, earlier, [{ product_id: 'mug', quantity: 1 }])).toEqual([]);
    expect(
      returnProblems(lines, earlier, [
        { product_id: 'lamp', quantity: 1 },
        { product_id: 'mug', quantity: 2 },
        { product_id: 'sofa', quantity: 1 },
      ]),
    ).toEqual([
      { field: 'lines.1.quantity', message: 'at most 1 more of this product can be returned', kind: 'too_many' },
      { field: 'lines.2.product_id', message: 'is not in this order', kind: 'not_bought' },
    ]);
  });

  it('sends units back to the warehouses they left from, after those earlier returns took', () => {
    expect(restockPlan(lines, [], [{ product_id: 'mug', quantity: 3 }])).toEqual([
      { line_no: 1, product_id: 'mug', warehouse_id: 'east', unit_price_cents: 1_000, quantity: 2 },
      { line_no: 2, product_id: 'mug', warehouse_id: 'west', unit_price_cents: 1_000, quantity: 1 },
    ]);
    expect(restockPlan(lines, [{ product_id: 'mug', quantity: 1 }], [{ product_id: 'mug', quantity: 2 }])).toEqual([
      { line_no: 1, product_id: 'mug', warehouse_id: 'east', unit_price_cents: 1_000, quantity: 1 },
      { line_no: 2, product_id: 'mug', warehouse_id: 'west', unit_price_cents: 1_000, quantity: 1 },
    ]);
  });

  it('refunds the lines and their share of tax, and shipping only when everything is back', () => {
    const oneMug = restockPlan(lines, [], [{ product_id: 'mug', quantity: 1 }]);
    expect(returnRefundCents(order, oneMug, false, 0)).toBe(1_100);
    const lamp = restockPlan(lines, [], [{ product_id: 'lamp', quantity: 1 }]);
    expect(returnRefundCents(order, lamp, false, 1_100)).toBe(3_300);
    const rest = restockPlan(lines, [{ product_id: 'mug', quantity: 1 }], [{ product_id: 'mug', quantity: 2 }]);
    // The last return gives back the rest: 7,100 - 1,100 - 3,300 = 2,700 (two mugs, their tax, the shipping).
    expect(returnRefundCents(order, rest, true, 4_400)).toBe(2_700);
  });

  it('rounds the tax share down and gives the rounding back with the last return', () => {
    const odd = { subtotal_cents: 300, tax_cents: 10, total_cents: 310 };
    const three: BoughtLine[] = [{ line_no: 1, product_id: 'pen', warehouse_id: 'w', quantity: 3, unit_price_cents: 100 }];
    const one = restockPlan(three, [], [{ product_id: 'pen', quantity: 1 }]);
    expect(returnRefundCents(odd, one, false, 0)).toBe(103);
    expect(returnRefundCents(odd, one, false, 103)).toBe(103);
    expect(returnRefundCents(odd, one, true, 206)).toBe(104);
    expect(returnRefundCents({ subtotal_cents: 0, tax_cents: 0, total_cents: 0 }, [], false, 0)).toBe(0);
  });
});

describe('the return window', () => {
  it('closes the given days after the last delivery, and is not open before any', () => {
    const placed = { status: 'placed', at: '2026-12-01T10:00:00.000Z' };
    expect(returnWindowEnd([placed], 30)).toBeNull();
    const timeline = [placed, { status: 'delivered', at: '2026-12-03T08:30:00.000Z' }, { status: 'delivered', at: '2026-12-04T09:00:00.000Z' }];
    expect(returnWindowEnd(timeline, 30)).toBe('2027-01-03T09:00:00.000Z');
    expect(returnWindowEnd(timeline, 0)).toBe('2026-12-04T09:00:00.000Z');
  });
});
