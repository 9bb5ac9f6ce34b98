import { parseMessageValue, productEvent, type MessageParse } from '../contracts/index.ts';
import type { ProductChange } from './search.ts';

/** A message value as a product change, or the reason it is not one. */
export function parseProductEvent(value: Buffer | null): MessageParse<ProductChange> {
  const parsed = parseMessageValue(value, productEvent, 'a product event');
  return parsed.ok ? { ok: true, value: { product_id: parsed.value.product_id, type: parsed.value.type } } : parsed;
}

/**
 * The cache scopes a batch of changes invalidates: search answers only when the engine says they may have changed
 * (stock that moves without a product going in or out of stock changes none), the category tree's counts only
 * when products were created, changed or deleted (never for stock).
 */
export function scopesOf(changes: readonly ProductChange[], searchChanged: boolean): ('search' | 'tree')[] {
  const scopes: ('search' | 'tree')[] = searchChanged ? ['search'] : [];
  if (changes.some((c) => c.type !== 'product.stock_changed')) scopes.push('tree');
  return scopes;
}
