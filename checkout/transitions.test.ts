import { describe, expect, it } from 'vitest';
import { nextStep, type IntentSnapshot } from './transitions.ts';

const NOW = 1_700_000_000_000;
const opts = { resendAfterMs: 10_000 };

const intent = (over: Partial<IntentSnapshot> = {}): IntentSnapshot => ({
  intent_id: 'i',
  drop_id: 'd',
  user_id: 'u',
  quantity: 1,
  status: 'reserved',
  hold_expires_at: NOW + 60_000,
  payment_method_id: 'pm_card_visa',
  shipping_address_id: 'a',
  release_requested_at: null,
  purchase_requested_at: null,
  payment: null,
  order: null,
  ...over,
});
const paid = { payment_id: 'p', status: 'succeeded', auto: true } as const;
const placedOrder = { order_id: 'o', status: 'placed' } as const;

describe('nextStep', () => {
  it('charges a reserved automatic intent with a live hold', () => {
    expect(nextStep(intent(), NOW, opts)).toEqual({ kind: 'charge' });
  });

  it('does not charge once the hold has expired, nor an intent without a card or address', () => {
    expect(nextStep(intent({ hold_expires_at: NOW }), NOW, opts).kind).toBe('wait');
    expect(nextStep(intent({ payment_method_id: null }), NOW, opts)).toEqual({
      kind: 'wait',
      for: 'shopper',
    });
    expect(nextStep(intent({ shipping_address_id: null }), NOW, opts)).toEqual({
      kind: 'wait',
      for: 'shopper',
    });
  });

  it('resolves a pending payment first, whatever the intent status', () => {
    for (const status of ['reserved', 'expired', 'purchased', 'cancelled'] as const) {
      const s = intent({ status, payment: { payment_id: 'p', status: 'pending', auto: false } });
      expect(nextStep(s, NOW, opts)).toEqual({ kind: 'charge' });
    }
  });

  it('creates an order for every captured payment, even when the hold is already lost', () => {
    expect(nextStep(intent({ payment: paid }), NOW, opts)).toEqual({ kind: 'create_order' });
    expect(nextStep(intent({ status: 'expired', payment: paid }), NOW, opts)).toEqual({
      kind: 'create_order',
    });
  });

  it('asks for the purchase, and asks again only when no decision came for a while', () => {
    const s = intent({ payment: paid, order: placedOrder });
    expect(nextStep(s, NOW, opts)).toEqual({ kind: 'request_purchase' });
    const asked = { ...s, purchase_requested_at: NOW - 1_000 };
    expect(nextStep(asked, NOW, opts)).toEqual({ kind: 'wait', for: 'purchase_decision' });
    expect(nextStep(asked, NOW + 9_000, opts)).toEqual({ kind: 'request_purchase' });
  });

  it('confirms on purchased, once; what the order goes through after that is not the saga’s', () => {
    const s = intent({ status: 'purchased', payment: paid, order: placedOrder });
    expect(nextStep(s, NOW, opts)).toEqual({ kind: 'confirm_order' });
    for (const status of ['paid', 'shipped', 'cancelled', 'returned'] as const) {
      expect(nextStep({ ...s, order: { ...placedOrder, status } }, NOW, opts)).toEqual({ kind: 'done' });
    }
  });

  it('refunds a captured payment when the hold was lost, then closes the order', () => {
    for (const status of ['expired', 'cancelled'] as const) {
      expect(nextStep(intent({ status, payment: paid, order: placedOrder }), NOW, opts)).toEqual({
        kind: 'refund',
      });
      const refunded = { payment_id: 'p', status: 'refunded', auto: true } as const;
      expect(nextStep(intent({ status, payment: refunded, order: placedOrder }), NOW, opts)).toEqual({
        kind: 'close_order',
      });
      expect(
        nextStep(
          intent({ status, payment: refunded, order: { ...placedOrder, status: 'refunded' } }),
          NOW,
          opts,
        ),
      ).toEqual({ kind: 'done' });
    }
  });

  it('releases the unit after an automatic payment failed, resending only when no decision came', () => {
    const failed = { payment_id: 'p', status: 'failed', auto: true } as const;
    expect(nextStep(intent({ payment: failed }), NOW, opts)).toEqual({
      kind: 'request_release',
      reason: 'payment_failed',
    });
    expect(nextStep(intent({ payment: failed, release_requested_at: NOW - 5 }), NOW, opts).kind).toBe('wait');
    expect(nextStep(intent({ status: 'payment_failed', payment: failed }), NOW, opts)).toEqual({
      kind: 'done',
    });
  });

  it('leaves a declined held-intent checkout to the shopper', () => {
    const failed = { payment_id: 'p', status: 'failed', auto: false } as const;
    expect(nextStep(intent({ payment_method_id: null, payment: failed }), NOW, opts)).toEqual({
      kind: 'wait',
      for: 'shopper',
    });
  });

  it('does nothing for intents without a hold', () => {
    for (const status of ['queued', 'prequeued', 'waitlisted', 'sold_out'] as const) {
      expect(nextStep(intent({ status }), NOW, opts)).toEqual({ kind: 'done' });
    }
  });
});
