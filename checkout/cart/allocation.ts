/** Units of a product a checkout asks for; several demands of one product add up. */
export interface Demand {
  product_id: string;
  quantity: number;
}

/** A product's units for sale in one warehouse. */
export interface StockRow {
  product_id: string;
  warehouse_id: string;
  /** The warehouse's region, a zone name. */
  region: string;
  available: number;
}

/** Units of a product that leave from one warehouse. */
export interface Allocation {
  product_id: string;
  warehouse_id: string;
  quantity: number;
}

/** A product asked for beyond its units for sale across every warehouse. */
export interface Shortage {
  product_id: string;
  requested: number;
  available: number;
}

export type AllocationResult = { ok: true; allocations: Allocation[] } | { ok: false; shortages: Shortage[] };

/** The summed demand per product, in the order products first appear. */
function demandByProduct(demand: readonly Demand[]): Map<string, number> {
  const want = new Map<string, number>();
  for (const d of demand) want.set(d.product_id, (want.get(d.product_id) ?? 0) + d.quantity);
  return want;
}

/**
 * Where each unit leaves from. Demand is summed per product first, so a product asked for in several lines is
 * allocated (and so reserved) as one quantity. Either every unit is allocated, or nothing is and each product short
 * of stock is named. Warehouses are taken one at a time, each giving all it can of what is still wanted, chosen by:
 * in the destination's own zone (`rank` 0) first, then the one that can send the most units (fewest shipments),
 * then the nearest (lowest `rank`), the one with most units for sale, and the lowest id (so the answer is always
 * the same). Without a destination every rank is 0 and only the fewest shipments count.
 */
export function allocate(
  demand: readonly Demand[],
  stock: readonly StockRow[],
  rank: (region: string) => number = () => 0,
): AllocationResult {
  const want = demandByProduct(demand);
  const shortages: Shortage[] = [];
  for (const [product_id, requested] of want) {
    const available = stock.filter((s) => s.product_id === product_id).reduce((n, s) => n + Math.max(0, s.available), 0);
    if (available < requested) shortages.push({ product_id, requested, available });
  }
  if (shortages.length > 0) return { ok: false, shortages };

  const warehouses = new Map<string, { region: string; rows: StockRow[]; total: number }>();
  for (const s of stock) {
    if (!want.has(s.product_id) || s.available <= 0) continue;
    const w = warehouses.get(s.warehouse_id) ?? { region: s.region, rows: [], total: 0 };
    w.rows.push(s);
    w.total += s.available;
    warehouses.set(s.warehouse_id, w);
  }
  const cover = (rows: StockRow[]) => rows.reduce((n, s) => n + Math.min(want.get(s.product_id) ?? 0, s.available), 0);

  const allocations: Allocation[] = [];
  while ([...want.values()].some((q) => q > 0)) {
    const best = [...warehouses]
      .map(([warehouse_id, w]) => ({ warehouse_id, w, r: rank(w.region), n: cover(w.rows) }))
      .filter((c) => c.n > 0)
      .sort(
        (a, b) =>
          Number(a.r !== 0) - Number(b.r !== 0) ||
          b.n - a.n ||
          a.r - b.r ||
          b.w.total - a.w.total ||
          (a.warehouse_id < b.warehouse_id ? -1 : a.warehouse_id > b.warehouse_id ? 1 : 0),
      )[0]!; // the shortage check guarantees a warehouse that can send something
    warehouses.delete(best.warehouse_id);
    for (const s of best.w.rows) {
      const take = Math.min(want.get(s.product_id) ?? 0, s.available);
      if (take === 0) continue;
      want.set(s.product_id, want.get(s.product_id)! - take);
      allocations.push({ product_id: s.product_id, warehouse_id: best.warehouse_id, quantity: take });
    }
  }
  const order = [...want.keys()];
  return { ok: true, allocations: allocations.sort((a, b) => order.indexOf(a.product_id) - order.indexOf(b.product_id)) };
}

/** Stock as a checkout holding `held` sees it: the units it holds are free to it. */
export function freeFor(stock: readonly StockRow[], held: readonly Allocation[]): StockRow[] {
  return stock.map((s) => ({
    ...s,
    available:
      s.available +
      held.filter((h) => h.product_id === s.product_id && h.warehouse_id === s.warehouse_id).reduce((n, h) => n + h.quantity, 0),
  }));
}
