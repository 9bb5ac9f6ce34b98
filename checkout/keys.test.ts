import { describe, expect, it } from 'vitest';
import { cartPaymentKey, cartRefundKey, checkoutPaymentKey, operationHash, refundKey, requestHash } from './keys.ts';

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

  it('keys a cart checkout payment by checkout and request, within Stripe limits', () => {
    expect(cartPaymentKey('c1', 'k')).toBe('cart-c1-k');
    expect(cartPaymentKey('c1', 'k')).not.toBe(cartPaymentKey('c2', 'k'));
    const long = cartPaymentKey('c1', 'x'.repeat(255));
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toBe(cartPaymentKey('c1', 'x'.repeat(255)));
    expect(long).not.toBe(cartPaymentKey('c1', 'y'.repeat(255)));
    expect(cartRefundKey('c1')).toBe('refund-cart-c1');
  });

  it('tells operations and their parameters apart', () => {
    expect(operationHash('a', 'x', 1)).toBe(operationHash('a', 'x', 1));
    expect(operationHash('a', 'x', 1)).not.toBe(operationHash('b', 'x', 1));
    expect(operationHash('a', 'x', 1)).not.toBe(operationHash('a', 'x', 2));
    expect(operationHash('a', 'x,1')).not.toBe(operationHash('a', 'x', 1));
  });
});
