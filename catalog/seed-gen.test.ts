import { describe, expect, it } from 'vitest';
import { SEED_WAREHOUSES } from './seed-data.ts';
import { generateProduct, seedProductId, seedSku } from './seed-gen.ts';

describe('generateProduct', () => {
  it('is deterministic and independent of other products', () => {
    expect(generateProduct(42)).toEqual(generateProduct(42));
    expect(seedProductId(42)).toBe(generateProduct(42).product_id);
    expect(generateProduct(42).product_id).not.toBe(generateProduct(43).product_id);
  });

  it('makes plausible products: UUIDv7 ids in creation order, 3-level categories, prices ending in 99', () => {
    const ps = Array.from({ length: 2_000 }, (_, i) => generateProduct(i + 1));
    const uuid7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const [i, p] of ps.entries()) {
      expect(p.product_id).toMatch(uuid7);
      expect(p.sku).toBe(seedSku(i + 1));
      expect(p.category_path).toHaveLength(3);
      expect(p.price_cents % 100).toBe(99);
      expect(p.title.startsWith(p.brand)).toBe(true);
      expect(p.rating_avg === 0 || (p.rating_avg >= 1 && p.rating_avg <= 5)).toBe(true);
      expect(p.stock.length).toBeGreaterThan(0);
      expect(p.stock.every((s) => s.warehouse >= 0 && s.warehouse < SEED_WAREHOUSES.length)).toBe(true);
      expect(p.in_stock).toBe(p.stock.some((s) => s.available > 0));
      if (i > 0) expect(p.product_id > ps[i - 1]!.product_id).toBe(true);
    }
    const outOfStock = ps.filter((p) => !p.in_stock).length / ps.length;
    expect(outOfStock).toBeGreaterThan(0.04);
    expect(outOfStock).toBeLessThan(0.15);
    expect(new Set(ps.map((p) => p.category_path[0])).size).toBe(8);
    expect(Math.max(...ps.map((p) => p.sales_count))).toBeGreaterThan(10_000);
  });
});
