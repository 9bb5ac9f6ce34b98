import type Stripe from 'stripe';

/** How a charge ended, in the terms the saga acts on. */
export type ChargeOutcome =
  | { kind: 'succeeded'; provider_payment_id: string }
  /** Stripe took no money and retrying the same request cannot change that (card declined, bad card id). */
  | { kind: 'declined'; code: string; message: string }
  /** Unknown or transient: the same request, under the same key, must be tried again later. */
  | { kind: 'retry'; message: string }
  /** Needs an operator (key reused with other parameters, bad API key); retried later like `retry`. */
  | { kind: 'stuck'; message: string };

export type RefundOutcome =
  /** The provider confirmed it; its refund's id, null when the charge had been refunded whole already. */
  | { kind: 'refunded'; provider_refund_id: string | null }
  | { kind: 'retry'; message: string }
  | { kind: 'stuck'; message: string };

/** The fields of a Stripe SDK error the classification reads. */
interface StripeErrorLike {
  type?: unknown;
  code?: unknown;
  decline_code?: unknown;
  message?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Classifies an error thrown by a PaymentIntent create call. Unknown errors are retriable, never a decline. */
export function classifyChargeError(err: unknown): Exclude<ChargeOutcome, { kind: 'succeeded' }> {
  const e = (typeof err === 'object' && err !== null ? err : {}) as StripeErrorLike;
  const message = str(e.message) ?? String(err);
  switch (str(e.type) ?? '') {
    case 'StripeCardError':
      return { kind: 'declined', code: str(e.decline_code) ?? str(e.code) ?? 'card_declined', message };
    case 'StripeInvalidRequestError':
      // Refused before any money moved (unknown payment method, invalid amount): a retry gives the same answer.
      return { kind: 'declined', code: str(e.code) ?? 'invalid_request', message };
    case 'StripeIdempotencyError':
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return { kind: 'stuck', message };
    default:
      return { kind: 'retry', message };
  }
}

/**
 * Classifies a refund error. An already refunded charge counts as refunded for a refund of the whole charge; for a
 * part of it no money moved for this refund, so it needs an operator.
 */
export function classifyRefundError(err: unknown, partial = false): RefundOutcome {
  const e = (typeof err === 'object' && err !== null ? err : {}) as StripeErrorLike;
  const message = str(e.message) ?? String(err);
  if (str(e.code) === 'charge_already_refunded') {
    return partial ? { kind: 'stuck', message } : { kind: 'refunded', provider_refund_id: null };
  }
  const type = str(e.type);
  if (
    type === 'StripeInvalidRequestError' ||
    type === 'StripeIdempotencyError' ||
    type === 'StripeAuthenticationError'
  ) {
    return { kind: 'stuck', message };
  }
  return { kind: 'retry', message };
}

export interface ChargeRequest {
  idempotency_key: string;
  amount_cents: number;
  currency: string;
  payment_method_id: string;
  metadata: Record<string, string>;
}

/** Payments through the Stripe SDK, answering outcomes instead of throwing. */
export interface PaymentGateway {
  /** Charges at most once per idempotency key: the same key and parameters replay the first outcome. */
  charge(r: ChargeRequest): Promise<ChargeOutcome>;
  /** Refunds the PaymentIntent, whole or `amount_cents` of it, at most once per idempotency key. */
  refund(r: {
    idempotency_key: string;
    provider_payment_id: string;
    amount_cents?: number;
    metadata: Record<string, string>;
  }): Promise<RefundOutcome>;
}

export function createPaymentGateway(stripe: Stripe): PaymentGateway {
  return {
    async charge(r) {
      try {
        const pi = await stripe.paymentIntents.create(
          {
            amount: r.amount_cents,
            currency: r.currency.toLowerCase(),
            payment_method: r.payment_method_id,
            confirm: true,
            metadata: r.metadata,
          },
          { idempotencyKey: r.idempotency_key },
        );
        if (pi.status === 'succeeded') return { kind: 'succeeded', provider_payment_id: pi.id };
        if (pi.status === 'processing') return { kind: 'retry', message: 'payment is processing' };
        // requires_action and friends: a drop is paid without the shopper present, so this cannot complete.
        return { kind: 'declined', code: pi.status, message: `payment ended as ${pi.status}` };
      } catch (err) {
        return classifyChargeError(err);
      }
    },
    async refund(r) {
      const amount = r.amount_cents === undefined ? {} : { amount: r.amount_cents };
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: r.provider_payment_id, metadata: r.metadata, ...amount },
          { idempotencyKey: r.idempotency_key },
        );
        return { kind: 'refunded', provider_refund_id: refund.id };
      } catch (err) {
        return classifyRefundError(err, r.amount_cents !== undefined);
      }
    },
  };
}
