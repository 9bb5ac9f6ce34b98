import { newId, newOrderEvent } from '../../contracts/index.ts';
import type { Tx } from '../../platform/index.ts';
import type { LoadedCheckout } from './repo.ts';
import { priceCheckout, type ShippingTables } from './shipping.ts';
import { sellReserved } from './stock.ts';
import { destinationOf } from './zones.ts';

/** An order line: the units of a product leaving from one warehouse. */
export interface OrderLine {
  product_id: string;
  sku: string;
  title: string;
  quantity: number;
  unit_price_cents: number;
  warehouse_id: string;
}

/** The order lines of a checkout: a line per reservation (product and warehouse), in the order of its lines. */
export function orderLinesOf(c: Pick<LoadedCheckout, 'lines' | 'reservations'>): OrderLine[] {
  return c.reservations.flatMap((r) => {
    const line = c.lines.find((l) => l.product_id === r.product_id);
    if (!line) return [];
    const { sku, title, unit_price_cents } = line;
    return [{ product_id: r.product_id, sku, title, quantity: r.quantity, unit_price_cents, warehouse_id: r.warehouse_id }];
  });
}

/**
 * In the caller's transaction, which holds the checkout's row lock (paying, its payment captured, no order yet):
 * the order, paid, with the checkout's totals, address and option, a line per reservation and the estimated
 * delivery of its option from `now`; its timeline's `placed` then `paid`; `order.placed` (source cart) and
 * `order.paid` in the outbox on `topic`; the payment tied to it; the checkout completed; and last (the caller
 * commits right after, so the shared rows stay locked briefly) the reservations sold: their units leave
 * reserved_count. Returns the order's id.
 */
export async function insertOrder(
  tx: Tx,
  c: LoadedCheckout,
  o: { tables: ShippingTables; topic: string; now: number },
): Promise<string> {
  const order_id = newId(o.now);
  const checkout_id = c.snapshot.checkout_id;
  const payment = c.payment!;
  const to = c.address && destinationOf(o.tables.SHIPPING_ZONES, c.address.country, c.address.region);
  const { quote } = priceCheckout(o.tables, { lines: c.lines, sent: c.reservations, to, option: c.shipping_option }, o.now);
  const lines = orderLinesOf(c);
  const t = c.totals;
  await tx`
    insert into orders (order_id, user_id, status, subtotal_cents, shipping_cents, tax_cents, total_cents, currency,
                        shipping_address_id, shipping_option, checkout_id, estimated_delivery)
    values (${order_id}, ${c.user_id}, 'paid', ${t.subtotal_cents}, ${t.shipping_cents}, ${t.tax_cents}, ${t.total_cents},
            ${c.currency}, ${c.shipping_address_id}, ${c.shipping_option}, ${checkout_id}, ${quote?.estimated_delivery ?? null})`;
  await tx`insert into order_items ${tx(lines.map((l, i) => ({ order_id, line_no: i + 1, currency: c.currency, ...l })))}`;
  // The timeline reads by time: placed at the transaction's start, paid at the clock's now, a moment later.
  await tx`
    insert into order_events (event_id, order_id, type, data, created_at)
    values (${newId(o.now)}, ${order_id}, 'placed', ${tx.json({ checkout_id, payment_id: payment.payment_id })}, now()),
           (${newId(o.now)}, ${order_id}, 'paid', ${tx.json({ provider_payment_id: payment.provider_payment_id })}, clock_timestamp())`;
  const base = { order_id, user_id: c.user_id, currency: c.currency, at: o.now };
  const events = [
    newOrderEvent({ type: 'order.placed', ...base, source: 'cart', ...t, items: lines }),
    newOrderEvent({ type: 'order.paid', ...base, amount_cents: t.total_cents }),
  ];
  await tx`insert into outbox ${tx(events.map((e) => ({ topic: o.topic, key: order_id, payload: tx.json(e as never) })))}`;
  await tx`update payments set order_id = ${order_id}, updated_at = now() where payment_id = ${payment.payment_id}`;
  await tx`update checkout_reservations set status = 'sold', updated_at = now() where checkout_id = ${checkout_id} and status = 'held'`;
  await tx`update checkouts set status = 'completed', completed_at = now(), updated_at = now() where checkout_id = ${checkout_id}`;
  await sellReserved(tx, c.reservations.filter((r) => r.status === 'held'));
  return order_id;
}
