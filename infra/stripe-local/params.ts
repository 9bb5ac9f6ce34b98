import { z } from 'zod';
import { invalidRequest, type Reply } from './errors.ts';
import type { FormObject, FormValue } from './form.ts';

// Form values arrive as strings; these schemas turn them into typed parameters with Stripe's error wording.
// Parameters outside an endpoint's schema are ignored rather than rejected: this server models a subset of
// Stripe's parameters, and callers may legitimately send others (customer, receipt_email, ...).

const text = (what: string) => z.string({ error: `Invalid ${what}` });
const id = text('string').min(1, 'This value cannot be empty.');
const integer = text('integer').regex(/^-?\d+$/, 'Invalid integer').transform(Number);
const amount = integer
  .refine((n) => n >= 1, 'This value must be greater than or equal to 1.')
  .refine((n) => n <= 99_999_999, 'Amount must be no more than 99999999.');
const currency = text('currency')
  .regex(/^[a-zA-Z]{3}$/, 'Invalid currency: expected a three-letter ISO code.')
  .transform((c) => c.toLowerCase());
const metadata = z.record(
  z.string(),
  text('string').max(500, 'Metadata values can have up to 500 characters.'),
  { error: 'Invalid hash' },
);
const expand = z
  .record(z.string(), text('string'), { error: 'Invalid array' })
  .transform((entries) => Object.values(entries))
  .pipe(
    z.array(
      z.enum(['latest_charge'], {
        error: (iss) => `This property cannot be expanded (${String(iss.input)}).`,
      }),
    ),
  );

/** Expansions a PaymentIntent endpoint accepts (`expand[]=latest_charge`). */
export type Expand = z.output<typeof expand>;

const SEARCH = /^metadata\[(['"])(.+?)\1\]:(['"])(.*)\3$/;

/** Only `metadata['key']:'value'` (either quote style) is supported. */
const searchQuery = text('string').transform((query, ctx) => {
  const match = SEARCH.exec(query.trim());
  if (match?.[2] !== undefined && match[4] !== undefined) return { key: match[2], value: match[4] };
  ctx.addIssue({
    code: 'custom',
    message: `Unsupported search query: ${query} (only metadata['key']:'value').`,
  });
  return z.NEVER;
});

// A PaymentIntent is only ever created and confirmed in one call, captured at once: this server serves no
// /confirm, /capture or /cancel. A create asking for anything else is refused by name rather than answered
// with an intent that could never be paid.
const NOT_CONFIRMED =
  'stripe-local creates PaymentIntents only with confirm=true: it does not serve ' +
  'POST /v1/payment_intents/:id/confirm, so an unconfirmed PaymentIntent could never be paid.';
const MANUAL_CAPTURE =
  'stripe-local supports only automatic capture (capture_method automatic or automatic_async): ' +
  'it does not serve POST /v1/payment_intents/:id/capture.';

/** `confirm`, which must be true (absent means false at Stripe). */
const confirmed = z
  .literal('true', {
    error: (iss) => (iss.input === undefined || iss.input === 'false' ? NOT_CONFIRMED : 'Invalid boolean'),
  })
  .transform(() => true as const);

export const createPaymentIntentParams = z.object({
  amount,
  currency,
  confirm: confirmed,
  payment_method: id.optional(),
  capture_method: z
    .enum(['automatic', 'automatic_async'], {
      error: (iss) => (iss.input === 'manual' ? MANUAL_CAPTURE : 'Invalid capture_method'),
    })
    .optional(),
  metadata: metadata.optional(),
  description: text('string').optional(),
  expand: expand.optional(),
});

export const retrievePaymentIntentParams = z.object({ expand: expand.optional() });

const limit = integer.refine((n) => n >= 1 && n <= 100, 'This value must be between 1 and 100.');

export const listParams = z.object({ limit: limit.optional(), starting_after: id.optional() });

export const searchParams = z.object({ query: searchQuery, limit: limit.optional(), page: id.optional() });

export const createRefundParams = z.object({
  payment_intent: id,
  amount: amount.optional(),
  reason: z
    .enum(['duplicate', 'fraudulent', 'requested_by_customer'], { error: 'Invalid reason' })
    .optional(),
  metadata: metadata.optional(),
});

/** Validated parameters, or the 400 to answer. */
export type Validated<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** `['metadata', 'k']` → `metadata[k]`, Stripe's spelling of a nested parameter. */
function paramName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ''}${rest.map((s) => `[${s}]`).join('')}`;
}

function lookup(form: FormValue | undefined, path: readonly PropertyKey[]): FormValue | undefined {
  const [head, ...rest] = path;
  if (head === undefined || form === undefined) return form;
  return typeof form === 'string' ? undefined : lookup(form[String(head)], rest);
}

/**
 * Checks `form` against `schema`. On failure answers 400 invalid_request_error for the first problem, with
 * `param` in bracket form and "Missing required param: x." when a required parameter was absent (a schema
 * that refuses an absent parameter with a message of its own, as `confirm` does, keeps that message).
 */
export function validate<S extends z.ZodType>(schema: S, form: FormObject): Validated<z.output<S>> {
  const parsed = schema.safeParse(form);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const param = paramName(path);
  const message =
    issue?.code === 'invalid_type' && lookup(form, path) === undefined
      ? `Missing required param: ${param}.`
      : (issue?.message ?? 'Invalid request.');
  return { ok: false, reply: invalidRequest(message, param) };
}
