import type Stripe from 'stripe';
import type { Sql } from '../platform/index.ts';
import { auditCheckouts, type CheckoutAuditInput } from './checkouts.ts';
import type { AuditReport } from './checks.ts';

/** Captured charges of cart checkouts at the provider, with what was refunded of each. */
async function providerCharges(stripe: Stripe, recorded: ReadonlyMap<string, { ordered: boolean }>) {
  const out: NonNullable<CheckoutAuditInput['charges']> = [];
  for await (const pi of stripe.paymentIntents.list({ limit: 100 })) {
    const checkout_id = pi.metadata.checkout_id;
    if (checkout_id === undefined || pi.status !== 'succeeded') continue;
    // A charge its checkout's order records needs no second look; any other is read with its refunds.
    let refunded = 0;
    if (recorded.get(pi.id)?.ordered !== true) {
      const full = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
      const charge = full.latest_charge;
      refunded = typeof charge === 'object' && charge !== null ? charge.amount_refunded : 0;
    }
    out.push({ provider_payment_id: pi.id, checkout_id, amount_cents: pi.amount_received, refunded_cents: refunded, created: pi.created * 1000 });
  }
  return out;
}

/** Gathers what the audit of cart checkouts checks, and audits it; the provider is read when `stripe` is given. */
export async function auditAllCheckouts(deps: { sql: Sql; stripe?: Stripe; graceMs?: number; now?: number }): Promise<AuditReport> {
  const { sql } = deps;
  const [statuses, payments, stock, overdue] = await Promise.all([
    sql<{ status: string; n: number }[]>`select status, count(*)::int as n from checkouts group by status order by status`,
    sql<CheckoutAuditInput['payments']>`
      select p.payment_id, p.checkout_id, p.status, p.amount_cents::float8 as amount_cents,
             p.refunded_cents::float8 as refunded_cents, p.provider_payment_id,
             o.total_cents::float8 as order_total_cents, (extract(epoch from p.updated_at) * 1000)::float8 as updated_at
      from payments p left join orders o on o.checkout_id = p.checkout_id and o.order_id = p.order_id
      where p.checkout_id is not null`,
    sql<CheckoutAuditInput['stock']>`
      select i.product_id, i.warehouse_id, i.available_count as available, i.reserved_count as reserved,
             coalesce((select sum(r.quantity) from checkout_reservations r
                       where r.product_id = i.product_id and r.warehouse_id = i.warehouse_id and r.status = 'held'), 0)::int as held
      from inventory i
      where exists (select 1 from checkout_reservations r where r.product_id = i.product_id and r.warehouse_id = i.warehouse_id)`,
    sql<CheckoutAuditInput['overdue']>`
      select checkout_id, (extract(epoch from expires_at) * 1000)::float8 as expires_at
      from checkouts where status = 'open' and expires_at <= now()`,
  ]);
  const recorded = new Map(
    payments.flatMap((p) => (p.provider_payment_id === null ? [] : [[p.provider_payment_id, { ordered: p.order_total_cents !== null }] as const])),
  );
  return auditCheckouts({
    now: deps.now ?? Date.now(),
    graceMs: deps.graceMs ?? 60_000,
    statuses: Object.fromEntries(statuses.map((s) => [`checkouts_${s.status}`, s.n])),
    payments: [...payments],
    stock: [...stock],
    overdue: [...overdue],
    ...(deps.stripe ? { charges: await providerCharges(deps.stripe, recorded) } : {}),
  });
}
