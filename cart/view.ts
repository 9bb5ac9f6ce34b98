import type { ProductFacts } from './facts.ts';
import type { CartState } from './model.ts';

/** A line as the shopper sees it: today's product facts and price. */
export interface CartItem {
  product_id: string;
  /** Null when the product no longer exists. */
  sku: string | null;
  title: string | null;
  image: string | null;
  quantity: number;
  /** Today's price; 0 for an unavailable line. */
  unit_price_cents: number;
  price_at_add_cents: number;
  line_total_cents: number;
  /** Units for sale today; 0 for an unavailable line. */
  available: number;
}

/** Something the shopper should know about a line before checking out. */
export type CartProblem =
  | { product_id: string; kind: 'price_changed'; from_cents: number; to_cents: number }
  | { product_id: string; kind: 'insufficient_stock'; requested: number; available: number }
  | { product_id: string; kind: 'unavailable'; reason: 'gone' | 'in_drop' | 'currency' };

/** The whole cart as every cart answer carries it. */
export interface CartView {
  /** Null when there is no cart (nothing was ever added, or it expired or was merged away). */
  cart_id: string | null;
  items: CartItem[];
  /** Today's prices of the available lines. */
  subtotal_cents: number;
  currency: string | null;
  /** Units in every line. */
  item_count: number;
  problems: CartProblem[];
  version: number;
}

/** The answer when there is no cart. */
export const emptyView = (): CartView => ({
  cart_id: null,
  items: [],
  subtotal_cents: 0,
  currency: null,
  item_count: 0,
  problems: [],
  version: 0,
});

/**
 * The cart priced at today's prices. A line is unavailable when its product is gone, in a drop, or now priced in
 * another currency: it stays, priced 0 and out of the subtotal. An available line whose price is not the one the
 * shopper last saw carries `price_changed`; `seen` holds those lines' prices as shown now, for the caller to mark
 * them seen. A line asking for more units than are for sale carries `insufficient_stock`.
 */
export function priceCart(
  state: CartState,
  facts: ReadonlyMap<string, ProductFacts | null>,
): { view: CartView; seen: Map<string, number> } {
  const seen = new Map<string, number>();
  const problems: CartProblem[] = [];
  let subtotal = 0;
  let count = 0;
  const items = state.lines.map((line): CartItem => {
    const { product_id, quantity } = line;
    const f = facts.get(product_id) ?? null;
    count += quantity;
    if (f === null || f.drop_id !== null || f.currency !== state.currency) {
      const reason = f === null ? 'gone' : f.drop_id !== null ? 'in_drop' : 'currency';
      problems.push({ product_id, kind: 'unavailable', reason });
      const base = {
        product_id,
        sku: f?.sku ?? null,
        title: f?.title ?? null,
        image: f?.image ?? null,
        quantity,
      };
      return {
        ...base,
        unit_price_cents: 0,
        price_at_add_cents: line.price_at_add_cents,
        line_total_cents: 0,
        available: 0,
      };
    }
    if (line.price_seen_cents !== f.price_cents) {
      problems.push({
        product_id,
        kind: 'price_changed',
        from_cents: line.price_seen_cents,
        to_cents: f.price_cents,
      });
      seen.set(product_id, f.price_cents);
    }
    if (f.available < quantity) {
      problems.push({ product_id, kind: 'insufficient_stock', requested: quantity, available: f.available });
    }
    const total = f.price_cents * quantity;
    subtotal += total;
    return {
      product_id,
      sku: f.sku,
      title: f.title,
      image: f.image,
      quantity,
      unit_price_cents: f.price_cents,
      price_at_add_cents: line.price_at_add_cents,
      line_total_cents: total,
      available: f.available,
    };
  });
  const view: CartView = {
    cart_id: state.cart_id,
    items,
    subtotal_cents: subtotal,
    currency: state.currency,
    item_count: count,
    problems,
    version: state.version,
  };
  return { view, seen };
}
