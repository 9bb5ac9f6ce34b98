import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { classifyChargeError, classifyRefundError } from './gateway.ts';

type RawType = NonNullable<NonNullable<ConstructorParameters<typeof Stripe.errors.StripeError>[0]>['type']>;
const raw = (type: RawType, extra: Record<string, string> = {}) => ({ type, message: 'm', ...extra });

describe('classifyChargeError', () => {
  it('treats a card error as a decline with the issuer reason', () => {
    const err = new Stripe.errors.StripeCardError(
      raw('card_error', { code: 'card_declined', decline_code: 'insufficient_funds' }),
    );
    expect(classifyChargeError(err)).toEqual({ kind: 'declined', code: 'insufficient_funds', message: 'm' });
  });

  it('treats an invalid request (unknown card) as a decline: no money moved', () => {
    const err = new Stripe.errors.StripeInvalidRequestError(
      raw('invalid_request_error', { code: 'resource_missing' }),
    );
    expect(classifyChargeError(err)).toMatchObject({ kind: 'declined', code: 'resource_missing' });
  });

  it('retries connection, API and rate-limit errors and anything unknown', () => {
    expect(classifyChargeError(new Stripe.errors.StripeAPIError(raw('api_error'))).kind).toBe('retry');
    expect(classifyChargeError(new Stripe.errors.StripeConnectionError(raw('api_error'))).kind).toBe('retry');
    expect(classifyChargeError(new Stripe.errors.StripeRateLimitError(raw('rate_limit_error'))).kind).toBe(
      'retry',
    );
    expect(classifyChargeError(new Error('socket hang up')).kind).toBe('retry');
    expect(classifyChargeError('weird').kind).toBe('retry');
  });

  it('never calls a reused key or a bad API key a decline', () => {
    expect(classifyChargeError(new Stripe.errors.StripeIdempotencyError(raw('idempotency_error'))).kind).toBe(
      'stuck',
    );
    expect(
      classifyChargeError(new Stripe.errors.StripeAuthenticationError(raw('invalid_request_error'))).kind,
    ).toBe('stuck');
  });
});

describe('classifyRefundError', () => {
  it('counts an already refunded charge as refunded, unless only a part was to be refunded', () => {
    const err = new Stripe.errors.StripeInvalidRequestError(
      raw('invalid_request_error', { code: 'charge_already_refunded' }),
    );
    expect(classifyRefundError(err)).toEqual({ kind: 'refunded', provider_refund_id: null });
    expect(classifyRefundError(err, true)).toEqual({ kind: 'stuck', message: 'm' });
    expect(classifyRefundError(new Stripe.errors.StripeAPIError(raw('api_error'))).kind).toBe('retry');
  });
});
