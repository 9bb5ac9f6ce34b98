import type { OrderEvent } from '../contracts/index.ts';
import type { Tx } from '../platform/index.ts';
import { ordersNeedingLines, tally, type SoldLine } from './aggregate.ts';

/**
 * Adds a batch of order events, those not counted before, to the analytics tables and to products.sales_count, in
 * the caller's transaction (with their processed_events rows): a redelivered event counts nothing. Events of
 * orders this database does not hold (another database's, on a shared broker) count nothing either. Updating
 * sales_count fires the catalog's product triggers, so search ranks by the new count once the indexer has it.
 */
export async function countEvents(tx: Tx, consumer: string, events: readonly OrderEvent[]): Promise<void> {
  if (events.length === 0) return;
  const fresh = new Set(
    (
      await tx<{ event_id: string }[]>`
        insert into processed_events (consumer, event_id) select ${consumer}, unnest(${events.map((e) => e.event_id)}::uuid[])
        on conflict do nothing returning event_id`
    ).map((r) => r.event_id),
  );
  const known = new Set(
    (await tx<{ order_id: string }[]>`select order_id from orders where order_id = any(${events.map((e) => e.order_id)}::uuid[])`).map(
      (r) => r.order_id,
    ),
  );
  const counted = events.filter((e) => fresh.delete(e.event_id) && known.has(e.order_id));
  const orders = ordersNeedingLines(counted);
  const lines = await tx<SoldLine[]>`
    select order_id, product_id, quantity, (unit_price_cents * quantity)::float8 as cents, trim(currency) as currency
    from order_items where order_id = any(${orders}::uuid[])`;
  const byOrder = new Map<string, SoldLine[]>();
  for (const l of lines) byOrder.set(l.order_id, [...(byOrder.get(l.order_id) ?? []), l]);
  const t = tally(counted, byOrder);
  const col = <R, K extends keyof R>(rows: R[], k: K) => rows.map((r) => r[k]);
  if (t.sales.length > 0) {
    await tx`
      insert into sales_daily (product_id, day, currency, units, orders, revenue_cents)
      select * from unnest(${col(t.sales, 'product_id')}::uuid[], ${col(t.sales, 'day')}::date[], ${col(t.sales, 'currency')}::text[],
                           ${col(t.sales, 'units')}::bigint[], ${col(t.sales, 'orders')}::bigint[], ${col(t.sales, 'revenue_cents')}::bigint[])
      on conflict (product_id, day, currency) do update set units = sales_daily.units + excluded.units,
        orders = sales_daily.orders + excluded.orders, revenue_cents = sales_daily.revenue_cents + excluded.revenue_cents`;
  }
  if (t.revenue.length > 0) {
    await tx`
      insert into revenue_hourly (hour, currency, orders, revenue_cents, refunded_cents)
      select * from unnest(${col(t.revenue, 'hour')}::timestamptz[], ${col(t.revenue, 'currency')}::text[], ${col(t.revenue, 'orders')}::bigint[],
                           ${col(t.revenue, 'revenue_cents')}::bigint[], ${col(t.revenue, 'refunded_cents')}::bigint[])
      on conflict (hour, currency) do update set orders = revenue_hourly.orders + excluded.orders,
        revenue_cents = revenue_hourly.revenue_cents + excluded.revenue_cents,
        refunded_cents = revenue_hourly.refunded_cents + excluded.refunded_cents`;
  }
  if (t.salesCount.size > 0) {
    // Locked in id order first, so batches counting the same products at once wait for each other, never deadlock.
    await tx`select 1 from products where product_id = any(${[...t.salesCount.keys()]}::uuid[]) order by product_id for update`;
    await tx`
      update products p set sales_count = greatest(0, p.sales_count + v.delta)
      from unnest(${[...t.salesCount.keys()]}::uuid[], ${[...t.salesCount.values()]}::bigint[]) as v(product_id, delta)
      where p.product_id = v.product_id`;
  }
}
