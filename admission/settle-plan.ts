/** Units a drop took from one warehouse. */
export interface StockSource {
  warehouse_id: string;
  quantity: number;
}

/**
 * How `unsold` units go back to the warehouses a drop took them from: in proportion to what each gave (largest
 * remainders first, ties by warehouse id), never more than a warehouse gave, never more than was taken in all.
 * The same input always gives the same plan.
 */
export function returnPlan(unsold: number, sources: readonly StockSource[]): StockSource[] {
  const given = sources
    .filter((s) => s.quantity > 0)
    .sort((a, b) => (a.warehouse_id < b.warehouse_id ? -1 : 1));
  const total = given.reduce((n, s) => n + s.quantity, 0);
  const units = Math.max(0, Math.min(Math.floor(unsold), total));
  if (units === 0) return [];
  const shares = given.map((s) => {
    const exact = (units * s.quantity) / total;
    return {
      warehouse_id: s.warehouse_id,
      quantity: Math.floor(exact),
      rest: exact - Math.floor(exact),
      cap: s.quantity,
    };
  });
  let left = units - shares.reduce((n, s) => n + s.quantity, 0);
  for (const s of [...shares].sort((a, b) => b.rest - a.rest)) {
    if (left === 0) break;
    if (s.quantity < s.cap) {
      s.quantity++;
      left--;
    }
  }
  return shares
    .filter((s) => s.quantity > 0)
    .map(({ warehouse_id, quantity }) => ({ warehouse_id, quantity }));
}
