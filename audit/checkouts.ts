import type { AuditReport } from './checks.ts';

/** Everything the audit of cart checkouts reads, from PostgreSQL and the payment provider. Times are epoch ms. */
export interface CheckoutAuditInput {
  now: number;
  /** What may still be in flight this recently (a charge its saga has not recorded yet) is not judged. */
  graceMs: number;
  /** Checkouts per status. */
  statuses: Record<string, number>;
  /** Every payment of a cart checkout, with the total of the checkout's order if it has one. */
  payments: {
    payment_id: string;
    checkout_id: string;
    status: string;
    amount_cents: number;
    refunded_cents: number;
    provider_payment_id: string | null;
    order_total_cents: number | null;
    updated_at: number;
  }[];
  /** Captured charges of cart checkouts at the provider (metadata.checkout_id); absent when not checked. */
  charges?: { provider_payment_id: string; checkout_id: string; amount_cents: number; refunded_cents: number; created: number }[];
  /** Inventory rows checkouts have reserved from: their counts and the units held for checkouts now. */
  stock: { product_id: string; warehouse_id: string; available: number; reserved: number; held: number }[];
  /** Open checkouts past their time. */
  overdue: { checkout_id: string; expires_at: number }[];
}

/**
 * Checks the invariants of cart checkouts: no captured payment is left without an order or a refund, in
 * PostgreSQL or at the provider; no checkout is charged twice; an order's total is what its payment took; no
 * inventory row is below zero, and each row's reserved units are exactly those its checkouts hold; no open checkout
 * outlives its time by more than the grace (the sweeper runs). `settled` when nothing is within the grace.
 */
export function auditCheckouts(a: CheckoutAuditInput): AuditReport {
  const v: string[] = [];
  const old = (at: number) => a.now - at >= a.graceMs;
  let recent = 0;

  const kept = (p: { amount_cents: number; refunded_cents: number }) => p.refunded_cents < p.amount_cents;
  const byCheckout = new Map<string, CheckoutAuditInput['payments']>();
  for (const p of a.payments) byCheckout.set(p.checkout_id, [...(byCheckout.get(p.checkout_id) ?? []), p]);
  for (const p of a.payments) {
    if (p.status === 'pending' && !old(p.updated_at)) recent++;
    if (p.status !== 'succeeded' || !kept(p)) continue;
    if (p.order_total_cents === null) {
      if (old(p.updated_at)) v.push(`checkout ${p.checkout_id}: payment ${p.payment_id} captured without an order or a refund`);
      else recent++;
    } else if (p.order_total_cents !== p.amount_cents) {
      v.push(`checkout ${p.checkout_id}: its order's total ${p.order_total_cents} is not the ${p.amount_cents} its payment took`);
    }
  }

  const captured = new Map<string, number>();
  for (const c of a.charges ?? []) {
    if (!kept(c)) continue;
    captured.set(c.checkout_id, (captured.get(c.checkout_id) ?? 0) + 1);
    const mine = byCheckout.get(c.checkout_id) ?? [];
    const p = mine.find((x) => x.provider_payment_id === c.provider_payment_id);
    if (p?.status === 'succeeded') continue; // its order (or its lack) is judged above
    if (!old(c.created)) recent++;
    else {
      const recorded = p ? [p.status] : mine.filter((x) => x.provider_payment_id === null).map((x) => x.status);
      v.push(`checkout ${c.checkout_id}: charge ${c.provider_payment_id} captured at the provider, recorded as ${recorded.join(' or ') || 'nothing'}`);
    }
  }
  for (const [checkout, n] of captured) if (n > 1) v.push(`checkout ${checkout}: charged ${n} times at the provider`);

  for (const s of a.stock) {
    const row = `inventory ${s.product_id}/${s.warehouse_id}`;
    if (s.available < 0 || s.reserved < 0) v.push(`${row} below zero (available ${s.available}, reserved ${s.reserved})`);
    if (s.reserved !== s.held) v.push(`${row}: reserved ${s.reserved}, but checkouts hold ${s.held}`);
  }

  for (const o of a.overdue) {
    if (old(o.expires_at)) v.push(`checkout ${o.checkout_id}: still open ${Math.round((a.now - o.expires_at) / 1000)} s after its time`);
    else recent++;
  }

  const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
  return {
    settled: recent === 0,
    counts: {
      ...a.statuses,
      payments: a.payments.length,
      captured: a.payments.filter((p) => p.status === 'succeeded').length,
      refunded: a.payments.filter((p) => p.status === 'refunded').length,
      held_units: sum(a.stock.map((s) => s.held)),
      provider_charges: sum([...captured.values()]),
    },
    violations: v,
  };
}
