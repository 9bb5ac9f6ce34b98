import { productEvent } from '../contracts/index.ts';
import type { ProductChange } from './search.ts';

/** A message value as a product change, or the reason it is not one. */
export function parseProductEvent(value: Buffer | null): { ok: true; change: ProductChange } | { ok: false; reason: string } {
  if (value === null) return { ok: false, reason: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = productEvent.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, change: { product_id: parsed.data.product_id, type: parsed.data.type } };
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
