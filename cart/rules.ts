import { AppError } from '../platform/index.ts';
import type { MergeCap } from './merge-lines.ts';
import { inOrder, MAX_LINES, type CartLine, type CartState } from './model.ts';

/** What a write needs to know of a product from PostgreSQL. */
export interface ProductRule {
  /** The most units one line may hold: the product's max_per_order, else the platform's line limit. */
  limit: number;
  /** The scheduled or open drop the product is in, else null. */
  drop_id: string | null;
  /** Units for sale across warehouses. */
  stock: number;
}

/** What bounds a merged line of each product: its rule's limit and stock; a product gone takes no units. */
export const capsOf =
  (rules: ReadonlyMap<string, ProductRule>, defaultLimit: number) =>
  (product_id: string): MergeCap => {
    const rule = rules.get(product_id);
    return rule ? { line: rule.limit, stock: rule.stock } : { line: defaultLimit, stock: 0 };
  };

/** The most units one line of a product may hold: its own max_per_order when set, else the default. */
export const lineLimit = (maxPerOrder: number | null, defaultLimit: number): number =>
  maxPerOrder ?? defaultLimit;

const tooMany = (product_id: string, max: number, quantity: number) =>
  new AppError(
    'conflict',
    `a cart line of this product may hold at most ${max} units; it would hold ${quantity}`,
    {
      details: { limit: 'line', product_id, max },
    },
  );

const inDrop = (product_id: string, drop_id: string) =>
  new AppError('conflict', 'this product sells only through its drop; join the drop instead', {
    details: { reason: 'in_drop', product_id, drop_id },
  });

/** The cart with `lines`; an empty cart has no currency any more. */
const withLines = (state: CartState, lines: CartLine[], currency: string | null): CartState => ({
  ...state,
  lines: inOrder(lines),
  currency: lines.length === 0 ? null : currency,
});

/**
 * Adds units of a product: to its line, or as a new line at today's price. Refuses (conflict, with the limit in
 * the details) a product in a drop, a line beyond its limit, a 101st line, and a currency other than the cart's.
 */
export function addLine(
  state: CartState,
  add: { product_id: string; quantity: number; price_cents: number; currency: string },
  rule: ProductRule,
  now: number,
): CartState {
  const { product_id } = add;
  if (rule.drop_id !== null) throw inDrop(product_id, rule.drop_id);
  if (state.currency !== null && state.currency !== add.currency) {
    throw new AppError('conflict', `this cart is in ${state.currency}; a cart holds one currency`, {
      details: { limit: 'currency', currency: state.currency },
    });
  }
  const line = state.lines.find((l) => l.product_id === product_id);
  const quantity = (line?.quantity ?? 0) + add.quantity;
  if (quantity > rule.limit) throw tooMany(product_id, rule.limit, quantity);
  if (line) {
    const lines = state.lines.map((l) => (l === line ? { ...l, quantity, updated_at: now } : l));
    return withLines(state, lines, add.currency);
  }
  if (state.lines.length >= MAX_LINES) {
    throw new AppError('conflict', `a cart holds at most ${MAX_LINES} lines`, {
      details: { limit: 'lines', max: MAX_LINES },
    });
  }
  const added: CartLine = {
    product_id,
    quantity,
    price_at_add_cents: add.price_cents,
    price_seen_cents: add.price_cents,
    added_at: now,
    updated_at: now,
  };
  return withLines(state, [...state.lines, added], add.currency);
}

/**
 * Sets a line's quantity; 0 removes the line. A line not in the cart is not_found. Raising a quantity needs the
 * product to exist and be out of any drop (`rule` null: it no longer exists); any quantity above 0 must be within
 * the line limit.
 */
export function setLineQuantity(
  state: CartState,
  product_id: string,
  quantity: number,
  rule: ProductRule | null,
  defaultLimit: number,
  now: number,
): CartState {
  const line = state.lines.find((l) => l.product_id === product_id);
  if (!line) throw new AppError('not_found', `this cart has no line for product ${product_id}`);
  if (quantity === 0) return removeLine(state, product_id);
  if (quantity > line.quantity) {
    if (rule === null) {
      throw new AppError('conflict', 'this product is no longer sold; its line can only shrink', {
        details: { reason: 'unavailable', product_id },
      });
    }
    if (rule.drop_id !== null) throw inDrop(product_id, rule.drop_id);
  }
  const max = rule?.limit ?? defaultLimit;
  if (quantity > max) throw tooMany(product_id, max, quantity);
  const lines = state.lines.map((l) => (l === line ? { ...l, quantity, updated_at: now } : l));
  return withLines(state, lines, state.currency);
}

/** The cart without the product's line; the very same object when it has no such line (nothing to change). */
export function removeLine(state: CartState, product_id: string): CartState {
  if (!state.lines.some((l) => l.product_id === product_id)) return state;
  return withLines(
    state,
    state.lines.filter((l) => l.product_id !== product_id),
    state.currency,
  );
}

/** The cart emptied, as an expired user cart starts again: same id and version line, no lines. */
export const emptied = (state: CartState, now: number): CartState => ({
  ...state,
  lines: [],
  currency: null,
  created_at: now,
});

/**
 * The cart without units an order bought: each line loses what was bought of it (a line raised since keeps the
 * difference) and goes when nothing is left; an emptied cart has no currency. The very same object when no line was
 * bought (nothing to change).
 */
export function withoutBought(state: CartState, bought: readonly { product_id: string; quantity: number }[], now: number): CartState {
  const take = new Map<string, number>();
  for (const b of bought) take.set(b.product_id, (take.get(b.product_id) ?? 0) + b.quantity);
  if (!state.lines.some((l) => take.has(l.product_id))) return state;
  const lines = state.lines
    .map((l) => (take.has(l.product_id) ? { ...l, quantity: l.quantity - take.get(l.product_id)!, updated_at: now } : l))
    .filter((l) => l.quantity > 0);
  return withLines(state, lines, state.currency);
}
