import { describe, expect, it } from 'vitest';
import { auditCheckouts, type CheckoutAuditInput } from './checkouts.ts';

const NOW = 1_700_000_000_000;
const old = NOW - 120_000;

/** Two checkouts paid and ordered, one of them after a declined card, one open with units held. */
function clean(): CheckoutAuditInput {
  const payment = (n: number, status = 'succeeded', order = true) => ({
    payment_id: `p${n}`,
    checkout_id: `c${n}`,
    status,
    amount_cents: 1_000,
    refunded_cents: 0,
    provider_payment_id: status === 'succeeded' ? `pi${n}` : null,
    order_total_cents: order ? 1_000 : null,
    updated_at: old,
  });
  return {
    now: NOW,
    graceMs: 60_000,
    statuses: { checkouts_completed: 2, checkouts_open: 1 },
    payments: [payment(1), { ...payment(2, 'failed', false), payment_id: 'p2x' }, payment(2)],
    charges: [1, 2].map((n) => ({ provider_payment_id: `pi${n}`, checkout_id: `c${n}`, amount_cents: 1_000, refunded_cents: 0, created: old })),
    stock: [{ product_id: 'a', warehouse_id: 'w', available: 3, reserved: 2, held: 2 }],
    overdue: [],
  };
}

describe('auditCheckouts', () => {
  it('finds nothing wrong with clean checkouts', () => {
    const r = auditCheckouts(clean());
    expect(r).toMatchObject({ settled: true, violations: [] });
    expect(r.counts).toMatchObject({ checkouts_completed: 2, captured: 2, held_units: 2, provider_charges: 2 });
  });

  it('reports a captured payment without an order or refund, once it is past the grace', () => {
    const a = clean();
    a.payments[0] = { ...a.payments[0]!, order_total_cents: null };
    expect(auditCheckouts(a).violations).toEqual(['checkout c1: payment p1 captured without an order or a refund']);
    a.payments[0] = { ...a.payments[0], updated_at: NOW - 1_000 };
    expect(auditCheckouts(a)).toMatchObject({ settled: false, violations: [] });
    a.payments[0] = { ...a.payments[0], status: 'refunded', refunded_cents: 1_000 };
    a.charges![0]!.refunded_cents = 1_000;
    expect(auditCheckouts(a).violations).toEqual([]);
  });

  it('reports a charge the provider captured that PostgreSQL holds as pending, and a checkout charged twice', () => {
    const a = clean();
    a.payments.push({ ...a.payments[0]!, payment_id: 'p3', checkout_id: 'c3', status: 'pending', provider_payment_id: null, order_total_cents: null });
    a.charges!.push({ provider_payment_id: 'pi3', checkout_id: 'c3', amount_cents: 1_000, refunded_cents: 0, created: old });
    a.charges!.push({ provider_payment_id: 'pi1b', checkout_id: 'c1', amount_cents: 1_000, refunded_cents: 0, created: old });
    expect(auditCheckouts(a).violations).toEqual([
      'checkout c3: charge pi3 captured at the provider, recorded as pending',
      'checkout c1: charge pi1b captured at the provider, recorded as nothing',
      'checkout c1: charged 2 times at the provider',
    ]);
    a.charges![a.charges!.length - 1]!.refunded_cents = 1_000;
    expect(auditCheckouts(a).violations).toHaveLength(1);
  });

  it('reports an order whose total is not what its payment took', () => {
    const a = clean();
    a.payments[0] = { ...a.payments[0]!, order_total_cents: 999 };
    expect(auditCheckouts(a).violations).toEqual(["checkout c1: its order's total 999 is not the 1000 its payment took"]);
  });

  it('reports reserved units no checkout holds, rows below zero, and reservations the sweeper left', () => {
    const a = clean();
    a.stock.push({ product_id: 'b', warehouse_id: 'w', available: -1, reserved: 3, held: 2 });
    a.overdue.push({ checkout_id: 'c9', expires_at: NOW - 90_000 }, { checkout_id: 'c8', expires_at: NOW - 1_000 });
    const r = auditCheckouts(a);
    expect(r.violations).toEqual([
      'inventory b/w below zero (available -1, reserved 3)',
      'inventory b/w: reserved 3, but checkouts hold 2',
      'checkout c9: still open 90 s after its time',
    ]);
    expect(r.settled).toBe(false);
  });
});
