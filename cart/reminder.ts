import { formatMoney } from '../contracts/index.ts';
import { escapeHtml as esc } from '../platform/index.ts';

/** A line of a cart to remind of, with what its product is today. */
export interface ReminderLine {
  product_id: string;
  quantity: number;
  /** Null when the product is gone. */
  title: string | null;
  price_cents: number | null;
  currency: string | null;
  /** True while the product sells only through a scheduled or open drop. */
  in_drop: boolean;
  /** Units for sale across warehouses. */
  stock: number;
}

/** A cart left untouched, its owner, and its lines. */
export interface ReminderCart {
  cart_id: string;
  user_id: string;
  version: number;
  email: string;
  name: string;
  currency: string | null;
  lines: ReminderLine[];
}

/** The lines a shopper can still buy: the product is there, in the cart's currency, not in a drop, in stock. */
export const buyableLines = (c: Pick<ReminderCart, 'currency' | 'lines'>): ReminderLine[] =>
  c.lines.filter((l) => l.title !== null && l.price_cents !== null && l.currency === c.currency && !l.in_drop && l.stock > 0);

/** The reminder of a cart: the lines still for sale at today's prices, a link back to the cart and one to stop these. */
export function reminderEmail(
  c: ReminderCart,
  links: { restore: string; unsubscribe: string },
): { subject: string; text: string; html: string } {
  const lines = buyableLines(c).map((l) => [`${l.quantity} × ${l.title!}`, formatMoney(l.price_cents! * l.quantity, l.currency!)] as const);
  const more = c.lines.length - lines.length;
  const note = more > 0 ? [`(${more} more ${more === 1 ? 'item is' : 'items are'} no longer available.)`] : [];
  return {
    subject: 'You left something in your cart',
    text: [
      `Hello ${c.name},`,
      '',
      'You left these in your cart; they are still waiting for you:',
      '',
      ...lines.map(([what, cost]) => `  ${what}  ${cost}`),
      ...(note.length > 0 ? ['', ...note] : []),
      '',
      `Back to your cart: ${links.restore}`,
      '',
      `No more of these reminders: ${links.unsubscribe}`,
      '',
      '— flashline',
      '',
    ].join('\n'),
    html: [
      '<!doctype html><html><body style="font-family:sans-serif">',
      `<p>Hello ${esc(c.name)},</p>`,
      '<p>You left these in your cart; they are still waiting for you:</p>',
      `<table>${lines.map(([what, cost]) => `<tr><td>${esc(what)}</td><td>${esc(cost)}</td></tr>`).join('')}</table>`,
      ...note.map((n) => `<p>${esc(n)}</p>`),
      `<p><a href="${esc(links.restore)}">Back to your cart</a></p>`,
      `<p style="font-size:small"><a href="${esc(links.unsubscribe)}">No more of these reminders</a></p>`,
      '</body></html>',
    ].join('\n'),
  };
}
