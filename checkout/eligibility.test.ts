import { describe, expect, it } from 'vitest';
import type { AppError } from '../platform/index.ts';
import { assertCheckoutAllowed } from './eligibility.ts';
import type { IntentSnapshot } from './transitions.ts';

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
