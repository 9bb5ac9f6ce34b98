import { z } from 'zod';
import { cartTokenField } from '../cart-token.ts';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an email address').max(254));
const password = z.string().min(8, 'must be at least 8 characters').max(256);
const text = (max: number) => z.string().trim().min(1).max(max);

/** A guest cart token on sign-in: its cart is merged into the account's. */
const cart_token = cartTokenField.optional();

export const registerBody = z.strictObject({ email, password, name: text(200), cart_token });
export const loginBody = z.strictObject({ email, password: z.string().min(1).max(256), cart_token });
/** `npm run admin:create`: the password is needed only to create the account. */
export const adminBody = z.strictObject({ email, password: password.optional(), name: text(200) });

export const addressBody = z.strictObject({
  name: text(200),
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postal_code: text(20),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')
    .transform((s) => s.toUpperCase()),
});
