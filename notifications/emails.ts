import { formatMoney, type OrderEvent } from '../contracts/index.ts';
import { escapeHtml as esc } from '../platform/index.ts';

/** What the emails of an order say about it, read from the order as stored. */
export interface OrderFacts {
  order_id: string;
  name: string;
  email: string;
  currency: string;
  items: { title: string; quantity: number; unit_price_cents: number; warehouse_id: string | null }[];
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  /** `YYYY-MM-DD`, or null when none was given. */
  estimated_delivery: string | null;
}

export interface Parcel {
  shipment_id: string;
  warehouse_id: string;
  carrier: string;
  tracking_number: string;
  tracking_url: string;
}

/** What a shopper is told, beside the order's own facts. */
export type Notice =
  | { kind: 'confirmation' }
  | { kind: 'shipped' | 'delivered'; parcel: Parcel }
  | { kind: 'cancelled'; refund_cents: number }
  | { kind: 'refund'; amount_cents: number; reason: string };

/**
 * The email an order event gives its shopper, and the key that names it (a second copy of the same email replaces
 * the first): the confirmation once an order is paid, a parcel leaving (with its tracking) and arriving, a
 * cancellation and a refund the provider confirmed. Null for events a shopper is sent nothing for.
 */
export function noticeOf(e: OrderEvent): { key: string; notice: Notice } | null {
  switch (e.type) {
    case 'order.paid':
      return { key: `${e.order_id}.confirmation`, notice: { kind: 'confirmation' } };
    case 'shipment.shipped':
    case 'shipment.delivered': {
      const kind = e.type === 'shipment.shipped' ? 'shipped' : 'delivered';
      const { shipment_id, warehouse_id, carrier, tracking_number, tracking_url } = e;
      return { key: `${shipment_id}.${kind}`, notice: { kind, parcel: { shipment_id, warehouse_id, carrier, tracking_number, tracking_url } } };
    }
    case 'order.cancelled':
      return { key: `${e.order_id}.cancelled`, notice: { kind: 'cancelled', refund_cents: e.refund.amount_cents } };
    case 'order.refunded':
      return { key: `${e.refund_id}.refund`, notice: { kind: 'refund', amount_cents: e.amount_cents, reason: e.reason } };
    case 'order.placed':
    case 'shipment.created':
    case 'return.requested':
    case 'return.received':
      return null;
  }
}


/** A composed email: the words, then a block of label/value rows, in text and HTML alike. */
interface Draft {
  subject: string;
  lead: string;
  rows: [string, string][];
  items?: OrderFacts['items'];
  link?: { label: string; url: string };
}

function draftOf(n: Notice, f: OrderFacts): Draft {
  const ref = f.order_id.slice(0, 8);
  const m = (cents: number) => formatMoney(cents, f.currency);
  switch (n.kind) {
    case 'confirmation':
      return {
        subject: `Your order ${ref} is confirmed`,
        lead: 'Thank you for your order. It is confirmed and will be on its way soon.',
        items: f.items,
        rows: [
          ['Order', f.order_id],
          ['Subtotal', m(f.subtotal_cents)],
          ['Shipping', m(f.shipping_cents)],
          ['Tax', m(f.tax_cents)],
          ['Total', m(f.total_cents)],
          ...(f.estimated_delivery === null ? [] : [['Estimated delivery', f.estimated_delivery] as [string, string]]),
        ],
      };
    case 'shipped':
    case 'delivered': {
      const p = n.parcel;
      const shipped = n.kind === 'shipped';
      return {
        subject: shipped ? `Your order ${ref} is on its way` : `Your order ${ref} was delivered`,
        lead: shipped ? 'A parcel of your order has left the warehouse.' : 'A parcel of your order has been delivered.',
        items: f.items.filter((i) => i.warehouse_id === p.warehouse_id),
        rows: [
          ['Order', f.order_id],
          ['Carrier', p.carrier],
          ['Tracking number', p.tracking_number],
        ],
        link: { label: 'Track your parcel', url: p.tracking_url },
      };
    }
    case 'cancelled':
      return {
        subject: `Your order ${ref} is cancelled`,
        lead: 'Your order is cancelled as you asked. Its full amount goes back to your card.',
        rows: [
          ['Order', f.order_id],
          ['Refund', m(n.refund_cents)],
        ],
      };
    case 'refund':
      return {
        subject: `A refund of ${m(n.amount_cents)} for your order ${ref}`,
        lead: 'Your refund has been issued; your bank shows it within a few days.',
        rows: [
          ['Order', f.order_id],
          ['Refund', m(n.amount_cents)],
          ['Reason', n.reason],
        ],
      };
  }
}

/** The subject, plain text and HTML of a notice; the same facts always give the same email. */
export function composeEmail(n: Notice, f: OrderFacts): { subject: string; text: string; html: string } {
  const d = draftOf(n, f);
  const money = (cents: number) => formatMoney(cents, f.currency);
  const items = (d.items ?? []).map((i) => [`${i.quantity} × ${i.title}`, money(i.unit_price_cents * i.quantity)] as const);
  const text = [
    `Hello ${f.name},`,
    '',
    d.lead,
    '',
    ...items.map(([what, cost]) => `  ${what}  ${cost}`),
    ...(items.length > 0 ? [''] : []),
    ...d.rows.map(([k, v]) => `  ${`${k}:`.padEnd(20)}${v}`),
    ...(d.link ? ['', `${d.link.label}: ${d.link.url}`] : []),
    '',
    '— flashline',
    '',
  ].join('\n');
  const tr = (k: string, v: string) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>Hello ${esc(f.name)},</p>`,
    `<p>${esc(d.lead)}</p>`,
    ...(items.length > 0 ? [`<table>${items.map(([what, cost]) => tr(what, cost)).join('')}</table>`] : []),
    `<table>${d.rows.map(([k, v]) => tr(k, v)).join('')}</table>`,
    ...(d.link ? [`<p><a href="${esc(d.link.url)}">${esc(d.link.label)}</a></p>`] : []),
    '<p>— flashline</p>',
    '</body></html>',
  ].join('\n');
  return { subject: d.subject, text, html };
}
