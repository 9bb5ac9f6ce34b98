import { AppError, type Sql } from '../platform/index.ts';

export interface OrderView {
  order_id: string;
  status: string;
  items: { product_id: string; sku: string; title: string; quantity: number; unit_price: { amount_cents: number; currency: string } }[];
  total: { amount_cents: number; currency: string };
  estimated_delivery: string | null;
  created_at: string;
  timeline: { type: string; at: string }[];
}

/** Orders as their owners see them. */
export function createOrdersRepo(sql: Sql) {
  return {
    /** The order with its lines and timeline; 404 for anyone but its owner. */
    async get(userId: string, orderId: string): Promise<OrderView> {
      const [order] = await sql<
        { order_id: string; user_id: string; status: string; total_cents: string; currency: string; estimated_delivery: string | null; created_at: Date }[]
      >`select order_id, user_id, status, total_cents, currency, estimated_delivery::text, created_at from orders where order_id = ${orderId}`;
      if (!order || order.user_id !== userId) throw new AppError('not_found', 'no such order');
      const [items, events] = await Promise.all([
        sql<{ product_id: string; sku: string; title: string; quantity: number; unit_price_cents: string; currency: string }[]>`
          select product_id, sku, title, quantity, unit_price_cents, currency from order_items where order_id = ${orderId} order by line_no`,
        sql<{ type: string; created_at: Date }[]>`
          select type, created_at from order_events where order_id = ${orderId} order by created_at, event_id`,
      ]);
      return {
        order_id: order.order_id,
        status: order.status,
        items: items.map((i) => ({
          product_id: i.product_id,
          sku: i.sku,
          title: i.title,
          quantity: i.quantity,
          unit_price: { amount_cents: Number(i.unit_price_cents), currency: i.currency },
        })),
        total: { amount_cents: Number(order.total_cents), currency: order.currency },
        estimated_delivery: order.estimated_delivery,
        created_at: order.created_at.toISOString(),
        timeline: events.map((e) => ({ type: e.type, at: e.created_at.toISOString() })),
      };
    },
  };
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>;
