import { orderStatuses } from '../contracts/index.ts';
import { AppError, type Sql } from '../platform/index.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { returnable, returnWindowEnd } from './return-math.ts';
import type { ReturnLine } from './returns.ts';
import type { OrderStatus, ShipmentStatus } from './transitions.ts';

type Money = { amount_cents: number; currency: string };
const money = (amount_cents: number, currency: string): Money => ({ amount_cents, currency: currency.trim() });

/** An order in the shopper's history. */
export interface OrderSummary {
  order_id: string;
  status: OrderStatus;
  source: 'drop' | 'cart';
  total: Money;
  item_count: number;
  created_at: string;
}

/** One order with everything that happened to it. */
export interface OrderView {
  order_id: string;
  status: OrderStatus;
  source: 'drop' | 'cart';
  items: { line_no: number; product_id: string; sku: string; title: string; quantity: number; unit_price: Money; warehouse_id: string | null }[];
  totals: { subtotal: Money; shipping: Money; tax: Money; total: Money };
  shipping_option: string | null;
  estimated_delivery: string | null;
  payment: { status: string; amount: Money; refunded: Money } | null;
  shipments: {
    shipment_id: string;
    warehouse_id: string;
    carrier: string;
    tracking_number: string;
    tracking_url: string;
    status: ShipmentStatus;
    events: { status: ShipmentStatus; at: string }[];
  }[];
  refunds: { refund_id: string; amount: Money; reason: string; status: string; return_id: string | null; attempts: number; last_error: string | null; created_at: string; succeeded_at: string | null }[];
  returns: { return_id: string; status: string; requested_at: string; received_at: string | null; lines: ReturnLine[] }[];
  /** Units of each product that no return has asked for yet. */
  returnable: { product_id: string; quantity: number }[];
  /** When returns close (RETURN_WINDOW_DAYS after the last delivery); null until delivered. */
  return_until: string | null;
  /** Every status the order moved to, in order. */
  timeline: { status: OrderStatus; at: string }[];
  created_at: string;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** Reads of orders: a shopper's history, page by page, and one order in full (`returnWindowDays` after delivery). */
export function createHistory(sql: Sql, returnWindowDays: number) {
  /**
   * The shopper's orders, newest first, `limit` at a time; `next_cursor` continues after the last one. Pages are
   * cut at an order's (creation time, id), so orders placed while a shopper pages never shift later pages.
   * Throws invalid for a cursor this API did not make.
   */
  async function list(
    userId: string,
    q: { status?: OrderStatus | undefined; cursor?: string | undefined; limit: number },
  ): Promise<{ orders: OrderSummary[]; next_cursor: string | null }> {
    const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
    if (q.cursor !== undefined && after === null) {
      throw new AppError('invalid', 'cursor is not one this API gave', {
        details: { errors: [{ field: 'cursor', message: 'must be a next_cursor from an earlier page' }] },
      });
    }
    const rows = await sql<(Omit<OrderSummary, 'total' | 'created_at'> & { total_cents: number; currency: string; created_at: Date; at: string })[]>`
      select o.order_id, o.status, case when o.intent_id is null then 'cart' else 'drop' end as source,
             o.total_cents::float8 as total_cents, o.currency, o.created_at,
             to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
             (select coalesce(sum(quantity), 0)::int from order_items i where i.order_id = o.order_id) as item_count
      from orders o
      where o.user_id = ${userId}
        and (${q.status ?? null}::text is null or o.status = ${q.status ?? null})
        and (${after === null} or (o.created_at, o.order_id) < (${after?.at ?? null}::timestamptz, ${after?.id ?? null}::uuid))
      order by o.created_at desc, o.order_id desc
      limit ${q.limit + 1}`;
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      orders: page.map(({ total_cents, currency, created_at, at: _, ...r }) => ({
        ...r,
        total: money(total_cents, currency),
        created_at: created_at.toISOString(),
      })),
      next_cursor: rows.length > q.limit && last ? encodeCursor({ at: last.at, id: last.order_id }) : null,
    };
  }

  /** The order in full; not_found for anyone but its owner (any order when `userId` is null: an admin). */
  async function get(userId: string | null, orderId: string): Promise<OrderView> {
    const [o] = await sql<
      {
        order_id: string; user_id: string; status: OrderStatus; intent_id: string | null; currency: string; subtotal_cents: number;
        shipping_cents: number; tax_cents: number; total_cents: number; shipping_option: string | null;
        estimated_delivery: string | null; created_at: Date;
      }[]
    >`select order_id, user_id, status, intent_id, currency, subtotal_cents::float8 as subtotal_cents,
             shipping_cents::float8 as shipping_cents, tax_cents::float8 as tax_cents, total_cents::float8 as total_cents,
             shipping_option, estimated_delivery::text, created_at
      from orders where order_id = ${orderId}`;
    if (!o || (userId !== null && o.user_id !== userId)) throw new AppError('not_found', 'no such order');
    const c = o.currency;
    const [items, payments, shipments, scans, refunds, returns, lines, timeline] = await Promise.all([
      sql<{ line_no: number; product_id: string; sku: string; title: string; quantity: number; unit_price_cents: number; warehouse_id: string | null }[]>`
        select line_no, product_id, sku, title, quantity, unit_price_cents::float8 as unit_price_cents, warehouse_id
        from order_items where order_id = ${orderId} order by line_no`,
      sql<{ status: string; amount_cents: number; refunded_cents: number; currency: string }[]>`
        select status, amount_cents::float8 as amount_cents, refunded_cents::float8 as refunded_cents, currency
        from payments where order_id = ${orderId} and status in ('succeeded', 'refunded') order by created_at limit 1`,
      sql<Omit<OrderView['shipments'][number], 'events'>[]>`
        select shipment_id, warehouse_id, carrier, tracking_number, tracking_url, status
        from shipments where order_id = ${orderId} order by created_at, shipment_id`,
      sql<{ shipment_id: string; status: ShipmentStatus; at: Date }[]>`
        select e.shipment_id, e.status, e.at from shipment_events e join shipments s using (shipment_id)
        where s.order_id = ${orderId} order by e.at, e.status`,
      sql<{ refund_id: string; amount_cents: number; currency: string; reason: string; status: string; return_id: string | null; attempts: number; last_error: string | null; created_at: Date; succeeded_at: Date | null }[]>`
        select refund_id, amount_cents::float8 as amount_cents, currency, reason, status, return_id, attempts, last_error,
               created_at, succeeded_at
        from refunds where order_id = ${orderId} order by created_at, refund_id`,
      sql<{ return_id: string; status: string; requested_at: Date; received_at: Date | null }[]>`
        select return_id, status, requested_at, received_at from returns where order_id = ${orderId}
        order by requested_at, return_id`,
      sql<(ReturnLine & { return_id: string })[]>`
        select l.return_id, l.product_id, l.quantity, l.reason from return_lines l join returns r using (return_id)
        where r.order_id = ${orderId} order by l.product_id`,
      sql<{ status: OrderStatus; at: Date }[]>`
        select type as status, created_at as at from order_events
        where order_id = ${orderId} and type = any(${[...orderStatuses]}::text[]) order by created_at, event_id`,
    ]);
    const p = payments[0];
    const moves = timeline.map((t) => ({ status: t.status, at: t.at.toISOString() }));
    return {
      order_id: o.order_id,
      status: o.status,
      source: o.intent_id === null ? 'cart' : 'drop',
      items: items.map(({ unit_price_cents, ...i }) => ({ ...i, unit_price: money(unit_price_cents, c) })),
      totals: {
        subtotal: money(o.subtotal_cents, c),
        shipping: money(o.shipping_cents, c),
        tax: money(o.tax_cents, c),
        total: money(o.total_cents, c),
      },
      shipping_option: o.shipping_option,
      estimated_delivery: o.estimated_delivery,
      payment: p ? { status: p.status, amount: money(p.amount_cents, p.currency), refunded: money(p.refunded_cents, p.currency) } : null,
      shipments: shipments.map((s) => ({
        ...s,
        events: scans.filter((e) => e.shipment_id === s.shipment_id).map((e) => ({ status: e.status, at: e.at.toISOString() })),
      })),
      refunds: refunds.map(({ amount_cents, currency, created_at, succeeded_at, ...r }) => ({
        ...r,
        amount: money(amount_cents, currency),
        created_at: created_at.toISOString(),
        succeeded_at: iso(succeeded_at),
      })),
      returns: returns.map((r) => ({
        ...r,
        requested_at: r.requested_at.toISOString(),
        received_at: iso(r.received_at),
        lines: lines.filter((l) => l.return_id === r.return_id).map(({ return_id: _, ...l }) => l),
      })),
      returnable: [...returnable(items, lines)].map(([product_id, quantity]) => ({ product_id, quantity })),
      return_until: returnWindowEnd(moves, returnWindowDays),
      timeline: moves,
      created_at: o.created_at.toISOString(),
    };
  }

  return { list, get };
}
