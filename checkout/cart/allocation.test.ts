import { describe, expect, it } from 'vitest';
import { allocate, freeFor, type StockRow } from './allocation.ts';

const row = (product_id: string, warehouse_id: string, available: number, region = warehouse_id): StockRow => ({
  product_id,
  warehouse_id,
  region,
  available,
});

describe('allocate', () => {
  it('reserves a product asked for in several lines as one sum, or names the shortage', () => {
    const stock = [row('p', 'w1', 3), row('p', 'w2', 2)];
    expect(
      allocate(
        [
          { product_id: 'p', quantity: 3 },
          { product_id: 'p', quantity: 3 },
        ],
        stock,
      ),
    ).toEqual({ ok: false, shortages: [{ product_id: 'p', requested: 6, available: 5 }] });
    const two = allocate(
      [
        { product_id: 'p', quantity: 2 },
        { product_id: 'p', quantity: 2 },
      ],
      stock,
    );
    expect(two).toEqual({
      ok: true,
      allocations: [
        { product_id: 'p', warehouse_id: 'w1', quantity: 3 },
        { product_id: 'p', warehouse_id: 'w2', quantity: 1 },
      ],
    });
  });

  it('names every product short of stock and allocates nothing', () => {
    const r = allocate(
      [
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 1 },
        { product_id: 'c', quantity: 1 },
      ],
      [row('a', 'w', 1), row('c', 'w', 5)],
    );
    expect(r).toEqual({
      ok: false,
      shortages: [
        { product_id: 'a', requested: 2, available: 1 },
        { product_id: 'b', requested: 1, available: 0 },
      ],
    });
  });

  it('takes the fewest warehouses: the one that can send most first', () => {
    const stock = [row('a', 'w1', 5), row('b', 'w1', 0), row('a', 'w2', 2), row('b', 'w2', 2), row('b', 'w3', 9)];
    const r = allocate(
      [
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 2 },
      ],
      stock,
    );
    expect(r).toEqual({
      ok: true,
      allocations: [
        { product_id: 'a', warehouse_id: 'w2', quantity: 2 },
        { product_id: 'b', warehouse_id: 'w2', quantity: 2 },
      ],
    });
  });

  it('prefers the destination’s zone over fewer shipments, then the nearest', () => {
    const rank = (region: string) => ({ near: 0, country: 1, far: 3 })[region] ?? 3;
    const stock = [row('a', 'near', 1), row('a', 'far', 9), row('a', 'country', 1)];
    const r = allocate([{ product_id: 'a', quantity: 3 }], stock, rank);
    expect(r.ok && r.allocations).toEqual([
      { product_id: 'a', warehouse_id: 'near', quantity: 1 },
      { product_id: 'a', warehouse_id: 'far', quantity: 2 },
    ]);
    const even = [row('a', 'far', 2), row('a', 'country', 2)];
    expect(allocate([{ product_id: 'a', quantity: 2 }], even, rank)).toEqual({
      ok: true,
      allocations: [{ product_id: 'a', warehouse_id: 'country', quantity: 2 }],
    });
  });

  it('breaks ties by units for sale, then id, so the answer is always the same', () => {
    expect(allocate([{ product_id: 'a', quantity: 1 }], [row('a', 'w2', 5), row('a', 'w1', 5), row('a', 'w3', 7)])).toEqual({
      ok: true,
      allocations: [{ product_id: 'a', warehouse_id: 'w3', quantity: 1 }],
    });
    expect(allocate([{ product_id: 'a', quantity: 1 }], [row('a', 'w2', 5), row('a', 'w1', 5)])).toEqual({
      ok: true,
      allocations: [{ product_id: 'a', warehouse_id: 'w1', quantity: 1 }],
    });
  });

  it('ignores rows without units and products not asked for', () => {
    const r = allocate([{ product_id: 'a', quantity: 1 }], [row('a', 'w1', 0), row('a', 'w2', -1), row('b', 'w1', 9), row('a', 'w3', 1)]);
    expect(r).toEqual({ ok: true, allocations: [{ product_id: 'a', warehouse_id: 'w3', quantity: 1 }] });
  });
});

describe('freeFor', () => {
  it('counts the units a checkout holds as free to it', () => {
    expect(freeFor([row('a', 'w', 1), row('b', 'w', 0)], [{ product_id: 'b', warehouse_id: 'w', quantity: 2 }])).toEqual([
      row('a', 'w', 1),
      row('b', 'w', 2),
    ]);
  });
});
