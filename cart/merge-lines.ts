import { inOrder, MAX_LINES, type CartLine, type CartState } from './model.ts';

/** What bounds a merged line of a product: its line limit and the units for sale (0 for a product gone). */
export interface MergeCap {
  line: number;
  stock: number;
}

/** A guest line that did not fit whole: the units asked for (both carts' together) and those kept. */
export interface CappedLine {
  product_id: string;
  requested: number;
  kept: number;
  /** line: the line limit; stock: the units for sale; lines: the cart's 100 lines; currency: the cart's currency. */
  limit: 'line' | 'stock' | 'lines' | 'currency';
}

export interface MergeReport {
  /** Guest lines whose product is in the user's cart after the merge. */
  merged_lines: number;
  capped: CappedLine[];
}

/**
 * How two carts' lines of a product combine: `sum` for a guest cart merged into a user's, `max` for lines that are
 * copies of the same cart's (a cart restored from a reminder's link, merged or restored again), so that they are
 * never counted twice.
 */
export type Combine = 'sum' | 'max';

/**
 * The user's cart with the guest's lines merged in: quantities combined per product (summed, or the larger of the
 * two), capped by the line limit and by the units for sale, but never below what the user's own line already held.
 * A guest line that would be a 101st line, or whose currency is not the user's cart's, is left out. Every guest
 * line not kept whole is reported.
 */
export function mergeLines(
  into: CartState,
  from: Pick<CartState, 'currency' | 'lines'>,
  capOf: (product_id: string) => MergeCap,
  now: number,
  combine: Combine = 'sum',
): { state: CartState; report: MergeReport } {
  const lines = new Map<string, CartLine>(into.lines.map((l) => [l.product_id, l]));
  const currency = into.lines.length > 0 ? into.currency : from.currency;
  const report: MergeReport = { merged_lines: 0, capped: [] };
  for (const guest of from.lines) {
    const { product_id } = guest;
    const have = lines.get(product_id);
    const requested = combine === 'sum' ? (have?.quantity ?? 0) + guest.quantity : Math.max(have?.quantity ?? 0, guest.quantity);
    if (!have && (from.currency !== currency || lines.size >= MAX_LINES)) {
      report.capped.push({
        product_id,
        requested,
        kept: 0,
        limit: from.currency !== currency ? 'currency' : 'lines',
      });
      continue;
    }
    const cap = capOf(product_id);
    const kept = Math.max(have?.quantity ?? 0, Math.min(requested, cap.line, cap.stock));
    if (kept < requested)
      report.capped.push({ product_id, requested, kept, limit: cap.stock < cap.line ? 'stock' : 'line' });
    if (kept === 0) continue;
    report.merged_lines += 1;
    lines.set(product_id, { ...(have ?? guest), quantity: kept, updated_at: now });
  }
  const merged = inOrder([...lines.values()]);
  return { state: { ...into, lines: merged, currency: merged.length === 0 ? null : currency }, report };
}
