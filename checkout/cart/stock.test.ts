import { describe, expect, it } from 'vitest';
import { sumByRow } from './stock.ts';

describe('sumByRow', () => {
  it('sums what is asked of each inventory row, drops zeros and sorts in the global lock order', () => {
    expect(
      sumByRow([
        { product_id: 'b', warehouse_id: 'w1', quantity: 2 },
        { product_id: 'a', warehouse_id: 'w2', quantity: 1 },
        { product_id: 'b', warehouse_id: 'w1', quantity: 3 },
        { product_id: 'a', warehouse_id: 'w1', quantity: 4 },
        { product_id: 'a', warehouse_id: 'w2', quantity: -1 },
      ]),
    ).toEqual([
      { product_id: 'a', warehouse_id: 'w1', quantity: 4 },
      { product_id: 'b', warehouse_id: 'w1', quantity: 5 },
    ]);
  });
});
