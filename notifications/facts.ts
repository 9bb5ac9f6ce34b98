import type { Sql } from '../platform/index.ts';
import type { OrderFacts } from './emails.ts';

/** The facts of each order named, with its shopper's name and email, in two statements; keyed by order id. */
export async function orderFacts(sql: Sql, orderIds: readonly string[]): Promise<Map<string, OrderFacts>> {
  const ids = [...new Set(orderIds)];
  const [orders, items] = await Promise.all([
    sql<Omit<OrderFacts, 'items'>[]>`
      select o.order_id, u.name, u.email, trim(o.currency) as currency, o.subtotal_cents::float8 as subtotal_cents,
             o.shipping_cents::float8 as shipping_cents, o.tax_cents::float8 as tax_cents,
             o.total_cents::float8 as total_cents, o.estimated_delivery::text as estimated_delivery
      from orders o join users u using (user_id) where o.order_id = any(${ids}::uuid[])`,
    sql<(OrderFacts['items'][number] & { order_id: string })[]>`
      select order_id, title, quantity, unit_price_cents::float8 as unit_price_cents, warehouse_id
      from order_items where order_id = any(${ids}::uuid[]) order by order_id, line_no`,
  ]);
  return new Map(
    orders.map((o) => [o.order_id, { ...o, items: items.filter((i) => i.order_id === o.order_id).map(({ order_id: _, ...i }) => i) }]),
  );
}
