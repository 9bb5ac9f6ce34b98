import { createHash } from 'node:crypto';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Stripe's limit on an Idempotency-Key. */
const STRIPE_KEY_MAX = 255;

/**
 * The payment idempotency key of a held-intent checkout: the shopper's Idempotency-Key scoped by user, since
 * Stripe keys are shared by the whole account (two shoppers may both send "1"). A key too long for Stripe is
 * replaced by its hash. The same (user, key) always gives the same payment key.
 */
export function checkoutPaymentKey(userId: string, idempotencyKey: string): string {
  const key = `checkout-${userId}-${idempotencyKey}`;
  return key.length <= STRIPE_KEY_MAX ? key : `checkout-${userId}-sha256-${sha256(idempotencyKey)}`;
}

/** The refund idempotency key of an intent: one refund per intent, however often it is retried. */
export const refundKey = (intentId: string): string => `refund-${intentId}`;

/**
 * The payment idempotency key of one attempt to pay for a cart checkout: the checkout's id with the request's
 * Idempotency-Key (hashed when too long for Stripe). A retry of a request charges under the same key, so at most
 * once; another attempt (a new Idempotency-Key, after a declined card) is a new payment.
 */
export function cartPaymentKey(checkoutId: string, idempotencyKey: string): string {
  const key = `cart-${checkoutId}-${idempotencyKey}`;
  return key.length <= STRIPE_KEY_MAX ? key : `cart-${checkoutId}-sha256-${sha256(idempotencyKey)}`;
}

/** The refund idempotency key of a cart checkout: it has at most one captured payment, so one refund. */
export const cartRefundKey = (checkoutId: string): string => `refund-cart-${checkoutId}`;

/**
 * What identifies a request made with an Idempotency-Key: the operation and its parameters, in order (so the same
 * key sent to another operation is another request).
 */
export const operationHash = (operation: string, ...params: (string | number)[]): string =>
  sha256(JSON.stringify([operation, ...params]));

/** What identifies a checkout request's body, to tell a replay from a different request under the same key. */
export function requestHash(body: {
  intent_id: string;
  payment_method_id: string;
  shipping_address_id: string;
}): string {
  return sha256(JSON.stringify([body.intent_id, body.payment_method_id, body.shipping_address_id]));
}
