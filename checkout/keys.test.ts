import { describe, expect, it } from 'vitest';
import { checkoutPaymentKey, refundKey, requestHash } from './keys.ts';

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
