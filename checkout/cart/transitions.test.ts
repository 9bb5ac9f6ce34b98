import { describe, expect, it } from 'vitest';
import type { PaymentStatus } from '../transitions.ts';
import { checkoutStatuses, nextCheckoutStep, type CheckoutSnapshot, type CheckoutStep } from './transitions.ts';

const NOW = 1_700_000_000_000;
const paymentStatuses: (PaymentStatus | null)[] = [null, 'pending', 'succeeded', 'failed', 'refunded'];

/** Every snapshot there is: each status, payment, order, cart copy, and a time before and after expiry. */
const every: CheckoutSnapshot[] = checkoutStatuses.flatMap((status) =>
  paymentStatuses.flatMap((payment) =>
    [null, 'o'].flatMap((order_id) =>
      [false, true].flatMap((cart_refreshed) =>
        [NOW + 1, NOW].map((expires_at) => ({
          checkout_id: 'c',
          status,
          expires_at,
          payment: payment && { payment_id: 'p', status: payment },
          order_id,
          cart_refreshed,
        })),
      ),
    ),
  ),
);

/** The step of each snapshot, the table written out by hand. */
function expected(s: CheckoutSnapshot): CheckoutStep['kind'] {
  const p = s.payment?.status ?? null;
  if (p === 'pending') return 'charge';
  if (p === 'succeeded' && s.order_id === null) return s.status === 'paying' ? 'create_order' : 'refund';
  if (s.status === 'paying') return 'reopen';
  if (s.status === 'open') return s.expires_at <= NOW ? 'expire' : 'wait';
  if (s.status === 'completed' && !s.cart_refreshed) return 'refresh_cart';
  return 'done';
}

describe('nextCheckoutStep', () => {
  it(`answers the table for all ${every.length} snapshots`, () => {
    expect(every).toHaveLength(5 * 5 * 2 * 2 * 2);
    for (const s of every) expect([s, nextCheckoutStep(s, NOW).kind]).toEqual([s, expected(s)]);
  });

  it('resolves a pending payment first, whatever the status or the time', () => {
    for (const s of every.filter((x) => x.payment?.status === 'pending')) expect(nextCheckoutStep(s, NOW)).toEqual({ kind: 'charge' });
  });

  it('makes an order of a capture only while the checkout holds its reservation, and refunds it otherwise', () => {
    const captured = every.filter((x) => x.payment?.status === 'succeeded' && x.order_id === null);
    for (const s of captured) {
      expect(nextCheckoutStep(s, NOW).kind).toBe(s.status === 'paying' ? 'create_order' : 'refund');
    }
    for (const s of every.filter((x) => x.payment?.status !== 'succeeded' || x.order_id !== null)) {
      expect(['create_order', 'refund']).not.toContain(nextCheckoutStep(s, NOW).kind);
    }
  });

  it('expires only an open checkout, and only once its time has come', () => {
    for (const s of every.filter((x) => nextCheckoutStep(x, NOW).kind === 'expire')) {
      expect(s.status).toBe('open');
      expect(s.expires_at).toBeLessThanOrEqual(NOW);
    }
    const open = every.find((x) => x.status === 'open' && x.payment === null && x.expires_at > NOW)!;
    expect(nextCheckoutStep(open, NOW)).toEqual({ kind: 'wait', for: 'shopper' });
    expect(nextCheckoutStep(open, open.expires_at)).toEqual({ kind: 'expire' });
  });

  it('reopens a paying checkout only when nothing is in flight or captured without an order', () => {
    for (const s of every.filter((x) => nextCheckoutStep(x, NOW).kind === 'reopen')) {
      expect(s.status).toBe('paying');
      expect(s.payment?.status === 'pending' || (s.payment?.status === 'succeeded' && s.order_id === null)).toBe(false);
    }
  });
});
