import { describe, expect, it } from 'vitest';
import type { AppError } from '../platform/errors.ts';
import { confirmationEmail, formatMoney } from './confirmation-email.ts';
import { assertCheckoutAllowed } from './eligibility.ts';
import { estimatedDelivery, orderEventFor } from './events.ts';
import { checkoutPaymentKey, refundKey, requestHash } from './keys.ts';
import type { IntentSnapshot } from './transitions.ts';

const order = {
  order_id: '0190a0a0-0000-7000-8000-000000000001',
  user_id: '0190a0a0-0000-7000-8000-000000000002',
  total_cents: 12_500,
  currency: 'USD',
};

describe('order events', () => {
  it('builds valid created, confirmed and refunded messages', () => {
    expect(orderEventFor('order.created', order, 5)).toEqual({
      type: 'order.created',
      v: 1,
      ...order,
      at: 5,
    });
    expect(orderEventFor('order.refunded', order, 5)).toMatchObject({
      type: 'order.refunded',
      amount_cents: 12_500,
    });
  });

  it('refuses a message that breaks the contract', () => {
    expect(() => orderEventFor('order.confirmed', { ...order, order_id: 'nope' }, 1)).toThrow();
  });

  it('estimates delivery five days out, as a UTC date', () => {
    expect(estimatedDelivery(Date.UTC(2025, 0, 30, 23, 59))).toBe('2025-02-04');
  });
});

describe('keys', () => {
  it('scopes a checkout key by user and stays within Stripe limits', () => {
    expect(checkoutPaymentKey('u1', 'k')).toBe('checkout-u1-k');
    expect(checkoutPaymentKey('u1', 'k')).not.toBe(checkoutPaymentKey('u2', 'k'));
    const long = checkoutPaymentKey('u1', 'x'.repeat(255));
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toBe(checkoutPaymentKey('u1', 'x'.repeat(255)));
    expect(refundKey('i')).toBe('refund-i');
  });

  it('hashes request bodies by their fields only', () => {
    const a = { intent_id: 'i', payment_method_id: 'pm', shipping_address_id: 'a' };
    expect(requestHash(a)).toBe(
      requestHash({ shipping_address_id: 'a', payment_method_id: 'pm', intent_id: 'i' }),
    );
    expect(requestHash(a)).not.toBe(requestHash({ ...a, payment_method_id: 'pm2' }));
  });
});

describe('confirmation email', () => {
  it('states the order, the item, the total and the delivery date', () => {
    const m = confirmationEmail({
      ...order,
      name: 'Ada',
      title: 'Sneaker',
      quantity: 1,
      estimated_delivery: '2025-02-04',
    });
    expect(m.subject).toContain('0190a0a0');
    expect(m.text).toContain('USD 125.00');
    expect(m.text).toContain('2025-02-04');
    expect(formatMoney(5, 'EUR')).toBe('EUR 0.05');
    expect(formatMoney(500, 'JPY')).toBe('JPY 500');
  });
});

describe('assertCheckoutAllowed', () => {
  const NOW = 1_000_000;
  const s: IntentSnapshot = {
    intent_id: 'i',
    drop_id: 'd',
    user_id: 'u',
    quantity: 1,
    status: 'reserved',
    hold_expires_at: NOW + 1,
    payment_method_id: null,
    shipping_address_id: null,
    release_requested_at: null,
    purchase_requested_at: null,
    payment: null,
    order: null,
  };
  const kind = (f: () => void) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return (e as AppError).kind;
    }
  };

  it('allows the owner of a live hold, after a declined card too', () => {
    expect(kind(() => assertCheckoutAllowed(s, 'u', NOW))).toBe('ok');
    expect(
      kind(() =>
        assertCheckoutAllowed(
          { ...s, payment: { payment_id: 'p', status: 'failed', auto: false } },
          'u',
          NOW,
        ),
      ),
    ).toBe('ok');
  });

  it('hides other shoppers intents and unknown ones alike', () => {
    expect(kind(() => assertCheckoutAllowed(s, 'someone-else', NOW))).toBe('not_found');
    expect(kind(() => assertCheckoutAllowed(undefined, 'u', NOW))).toBe('not_found');
  });

  it('answers gone for an expired or ended hold, conflict for anything else not payable', () => {
    expect(kind(() => assertCheckoutAllowed({ ...s, hold_expires_at: NOW }, 'u', NOW))).toBe('gone');
    expect(kind(() => assertCheckoutAllowed({ ...s, status: 'expired' }, 'u', NOW))).toBe('gone');
    expect(kind(() => assertCheckoutAllowed({ ...s, status: 'waitlisted' }, 'u', NOW))).toBe('conflict');
    expect(kind(() => assertCheckoutAllowed({ ...s, status: 'purchased' }, 'u', NOW))).toBe('conflict');
    expect(kind(() => assertCheckoutAllowed({ ...s, payment_method_id: 'pm_card_visa' }, 'u', NOW))).toBe(
      'conflict',
    );
    expect(
      kind(() =>
        assertCheckoutAllowed(
          { ...s, payment: { payment_id: 'p', status: 'pending', auto: false } },
          'u',
          NOW,
        ),
      ),
    ).toBe('conflict');
  });
});
