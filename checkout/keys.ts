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

/** What identifies a checkout request's body, to tell a replay from a different request under the same key. */
export function requestHash(body: {
  intent_id: string;
  payment_method_id: string;
  shipping_address_id: string;
}): string {
  return sha256(JSON.stringify([body.intent_id, body.payment_method_id, body.shipping_address_id]));
}
