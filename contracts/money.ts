import { z } from 'zod';

/** ISO 4217 code, upper case. Amounts are integer minor units (cents) beside such a code. */
export const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD');

/** A price or total in integer minor units; never a float. */
export const amountCents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX']);

/** `12500, 'USD'` → `USD 125.00`: integer minor units with two decimals (zero-decimal currencies as they are). */
export function formatMoney(cents: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return `${currency} ${cents}`;
  return `${currency} ${Math.trunc(cents / 100)}.${String(Math.abs(cents % 100)).padStart(2, '0')}`;
}
