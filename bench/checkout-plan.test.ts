import { describe, expect, it } from 'vitest';
import { demandOf, parseCheckoutArgs, planCarts, planStock } from './checkout-plan.ts';

describe('bench:checkout arguments', () => {
  it('defaults to 2,000 shoppers, 64 at a time, over 200 products of which 20 hot', () => {
    const a = parseCheckoutArgs([], new Date('2026-01-02T03:04:05.678Z'));
    expect(a).toEqual({
      shoppers: 2_000,
      concurrency: 64,
      products: 200,
      hot: 20,
      availabilitySeconds: 10,
      availabilityConnections: 64,
      seed: 1,
      out: 'bench/results/checkout-2026-01-02T03-04-05-678Z.json',
    });
    expect(parseCheckoutArgs(['--shoppers=100', '--concurrency', '8'])).toMatchObject({ shoppers: 100, concurrency: 8 });
  });

  it('refuses what it does not know rather than ignoring it', () => {
    expect(() => parseCheckoutArgs(['--shoppers=0'])).toThrow('--shoppers needs an integer >= 1');
    expect(() => parseCheckoutArgs(['--hot', '30', '--products', '20'])).toThrow('must not exceed');
    expect(() => parseCheckoutArgs(['--fast'])).toThrow("Unknown option '--fast'");
  });
});

describe('the plan', () => {
  const a = { shoppers: 500, products: 50, hot: 5, seed: 7 };

  it('gives every shopper 1 to 5 lines of distinct products, the same for the same seed', () => {
    const carts = planCarts(a);
    expect(carts).toHaveLength(500);
    for (const c of carts) {
      expect(c.length).toBeGreaterThanOrEqual(1);
      expect(c.length).toBeLessThanOrEqual(5);
      expect(new Set(c.map((l) => l.product)).size).toBe(c.length);
      expect(c.every((l) => l.quantity >= 1 && l.quantity <= 2 && l.product < 50)).toBe(true);
    }
    expect(planCarts(a)).toEqual(carts);
    expect(planCarts({ ...a, seed: 8 })).not.toEqual(carts);
  });

  it('stocks the hot products below their demand and the others above it', () => {
    const demand = demandOf(planCarts(a), a.products);
    const stock = planStock(demand, a.hot);
    stock.forEach((perWarehouse, i) => {
      const total = perWarehouse.reduce((n, x) => n + x, 0);
      if (i < a.hot) expect(total).toBeLessThan(demand[i]!);
      else expect(total).toBe(demand[i]! + 10);
      expect(Math.max(...perWarehouse) - Math.min(...perWarehouse)).toBeLessThanOrEqual(1);
    });
  });
});
