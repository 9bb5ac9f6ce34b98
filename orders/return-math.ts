/** A line of an order as bought. */
export interface BoughtLine {
  line_no: number;
  product_id: string;
  warehouse_id: string | null;
  quantity: number;
  unit_price_cents: number;
}

/** Units of a product asked back (a return line), or given back. */
export interface Units {
  product_id: string;
  quantity: number;
}

/** Units coming back to one line of the order, and so to that line's warehouse. */
export interface Restock extends Units {
  line_no: number;
  warehouse_id: string | null;
  unit_price_cents: number;
}

const sumBy = (items: readonly Units[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const i of items) m.set(i.product_id, (m.get(i.product_id) ?? 0) + i.quantity);
  return m;
};

/** Units of each product bought that no earlier return has asked for yet. */
export function returnable(lines: readonly BoughtLine[], earlier: readonly Units[]): Map<string, number> {
  const asked = sumBy(earlier);
  const left = sumBy(lines);
  for (const [p, n] of left) left.set(p, Math.max(0, n - (asked.get(p) ?? 0)));
  return left;
}

const DAY_MS = 86_400_000;

/**
 * When the order's return window closes: `days` after its last delivery (the moment a return request is refused
 * from), or null while it has not been delivered.
 */
export function returnWindowEnd(timeline: readonly { status: string; at: string }[], days: number): string | null {
  const delivered = timeline.filter((t) => t.status === 'delivered').map((t) => Date.parse(t.at));
  return delivered.length === 0 ? null : new Date(Math.max(...delivered) + days * DAY_MS).toISOString();
}

/** A line of a return request that cannot be granted, named as a field of the request. */
export interface ReturnProblem {
  field: string;
  message: string;
  kind: 'not_bought' | 'too_many';
}

/** What is wrong with a return request: each line naming a product not bought, or more units than are left. */
export function returnProblems(lines: readonly BoughtLine[], earlier: readonly Units[], asked: readonly Units[]): ReturnProblem[] {
  const left = returnable(lines, earlier);
  const wanted = sumBy(asked);
  return asked.flatMap((a, i): ReturnProblem[] => {
    const can = left.get(a.product_id);
    if (can === undefined) return [{ field: `lines.${i}.product_id`, message: 'is not in this order', kind: 'not_bought' }];
    return wanted.get(a.product_id)! > can
      ? [{ field: `lines.${i}.quantity`, message: `at most ${can} more of this product can be returned`, kind: 'too_many' }]
      : [];
  });
}

/**
 * Where returned units go back to: each product's units are taken from its order lines in line order, after the
 * units that earlier received returns took, so a unit goes back to the warehouse it left from.
 */
export function restockPlan(lines: readonly BoughtLine[], earlierReceived: readonly Units[], returning: readonly Units[]): Restock[] {
  const taken = sumBy(earlierReceived);
  const plan: Restock[] = [];
  for (const [product_id, quantity] of sumBy(returning)) {
    let skip = taken.get(product_id) ?? 0;
    let want = quantity;
    for (const l of lines.filter((x) => x.product_id === product_id).sort((a, b) => a.line_no - b.line_no)) {
      const free = Math.max(0, l.quantity - skip);
      skip = Math.max(0, skip - l.quantity);
      const n = Math.min(free, want);
      if (n === 0) continue;
      plan.push({ line_no: l.line_no, product_id, warehouse_id: l.warehouse_id, unit_price_cents: l.unit_price_cents, quantity: n });
      want -= n;
    }
  }
  return plan;
}

/**
 * The money a received return gives back: the returned units' price and their share of the tax (rounded down).
 * The return that brings the last units back gives back everything not yet refunded for returns, shipping and the
 * rounding included, so an order returned whole is refunded its whole total.
 */
export function returnRefundCents(
  order: { subtotal_cents: number; tax_cents: number; total_cents: number },
  plan: readonly Restock[],
  everythingBack: boolean,
  refundedForEarlierReturns: number,
): number {
  if (everythingBack) return Math.max(0, order.total_cents - refundedForEarlierReturns);
  const lines = plan.reduce((s, r) => s + r.unit_price_cents * r.quantity, 0);
  const tax = order.subtotal_cents === 0 ? 0 : Math.floor((order.tax_cents * lines) / order.subtotal_cents);
  return lines + tax;
}
