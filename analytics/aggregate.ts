import type { OrderEvent } from '../contracts/index.ts';

/** A line of a paid order as analytics counts it. */
export interface SoldLine {
  order_id: string;
  product_id: string;
  quantity: number;
  cents: number;
  currency: string;
}

export interface SalesRow {
  product_id: string;
  day: string;
  currency: string;
  units: number;
  orders: number;
  revenue_cents: number;
}

export interface RevenueRow {
  hour: string;
  currency: string;
  orders: number;
  revenue_cents: number;
  refunded_cents: number;
}

/** What a batch of order events adds to the analytics tables. */
export interface Tally {
  sales: SalesRow[];
  revenue: RevenueRow[];
  /** Units each product's sales_count moves by: up when sold, down when cancelled or returned. */
  salesCount: Map<string, number>;
}

/** The UTC day (`YYYY-MM-DD`) and hour (ISO, on the hour) of an epoch-ms time. */
export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);
export const hourOf = (at: number): string => `${new Date(at).toISOString().slice(0, 13)}:00:00.000Z`;

const byKey = <T>(m: Map<string, T>, key: string, make: () => T): T => {
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = make()));
  return v;
};

/**
 * Tallies order events: a paid order counts its lines as sales of their products on the day it was paid (units,
 * one order, revenue) and its total as revenue of that hour; a refund counts as refunded in the hour it was
 * confirmed; sales_count, which search ranks by, counts units net of cancellations and returns. `lines` holds the
 * lines of the paid and cancelled orders named. Rows come sorted by key, so concurrent writers lock them in order.
 */
export function tally(events: readonly OrderEvent[], lines: ReadonlyMap<string, readonly SoldLine[]>): Tally {
  const sales = new Map<string, SalesRow>();
  const revenue = new Map<string, RevenueRow>();
  const salesCount = new Map<string, number>();
  const count = (product_id: string, n: number) => salesCount.set(product_id, (salesCount.get(product_id) ?? 0) + n);
  const hour = (at: number, currency: string) =>
    byKey(revenue, `${hourOf(at)}|${currency}`, () => ({ hour: hourOf(at), currency, orders: 0, revenue_cents: 0, refunded_cents: 0 }));

  for (const e of events) {
    switch (e.type) {
      case 'order.paid': {
        const h = hour(e.at, e.currency);
        h.orders += 1;
        h.revenue_cents += e.amount_cents;
        const seen = new Set<string>();
        for (const l of lines.get(e.order_id) ?? []) {
          const day = dayOf(e.at);
          const row = byKey(sales, `${l.product_id}|${day}|${l.currency}`, () => ({
            product_id: l.product_id,
            day,
            currency: l.currency,
            units: 0,
            orders: 0,
            revenue_cents: 0,
          }));
          row.units += l.quantity;
          row.revenue_cents += l.cents;
          if (!seen.has(row.product_id)) row.orders += 1;
          seen.add(row.product_id);
          count(l.product_id, l.quantity);
        }
        break;
      }
      case 'order.cancelled':
        for (const l of lines.get(e.order_id) ?? []) count(l.product_id, -l.quantity);
        break;
      case 'return.received':
        for (const l of e.lines) count(l.product_id, -l.quantity);
        break;
      case 'order.refunded':
        hour(e.at, e.currency).refunded_cents += e.amount_cents;
        break;
      case 'order.placed':
      case 'shipment.created':
      case 'shipment.shipped':
      case 'shipment.delivered':
      case 'return.requested':
        break;
    }
  }
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  for (const [p, n] of salesCount) if (n === 0) salesCount.delete(p);
  return { sales: sorted(sales), revenue: sorted(revenue), salesCount: new Map([...salesCount].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** Orders whose lines a batch needs: those paid or cancelled in it. */
export const ordersNeedingLines = (events: readonly OrderEvent[]): string[] => [
  ...new Set(events.filter((e) => e.type === 'order.paid' || e.type === 'order.cancelled').map((e) => e.order_id)),
];
