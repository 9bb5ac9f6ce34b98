import { z } from 'zod';

/** ISO 4217 code, upper case. Amounts are integer minor units (cents) beside such a code. */
export const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD');

/** A price or total in integer minor units; never a float. */
export const amountCents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
