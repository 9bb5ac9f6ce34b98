import { api, el, formatMoney, formatTime, problemText, say, session, statusText } from './common.js';

// The shopper's orders, newest first, a page at a time: the page's cursor is in the URL, so "Older orders" is a link.
const $ = (id) => document.getElementById(id);
const status = $('orders-status');
const errors = $('orders-errors');
const PAGE = 20;
const LABELS = ['Order', 'Placed', 'Status', 'Items', 'Total'];

function row(o) {
  const tr = el('tr');
  const link = el('a', o.order_id, 'order-number');
  link.href = `/orders/${o.order_id}`;
  const cells = [link, formatTime(o.created_at), statusText(o.status), String(o.item_count), formatMoney(o.total.amount_cents, o.total.currency)];
  tr.append(
    ...cells.map((c, i) => {
      const td = el('td');
      td.append(c);
      td.dataset.label = LABELS[i];
      return td;
    }),
  );
  return tr;
}

const cursor = new URLSearchParams(location.search).get('cursor');
if (!session()) {
  say(status, '');
  const link = el('a', 'Sign in');
  link.href = `/signin?next=${encodeURIComponent(location.pathname + location.search)}`;
  errors.replaceChildren(link, document.createTextNode(' to see your orders.'));
  errors.classList.add('shown');
} else {
  const query = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) });
  const r = await api('GET', `/api/v1/me/orders?${query}`);
  if (!r.ok) {
    say(status, '');
    say(errors, problemText(r.body));
  } else {
    const { orders, next_cursor } = r.body;
    say(status, orders.length === 0 ? (cursor ? 'No older orders.' : 'You have no orders yet.') : `${orders.length} ${orders.length === 1 ? 'order' : 'orders'} on this page.`);
    $('orders-rows').replaceChildren(...orders.map(row));
    $('orders-table').hidden = orders.length === 0;
    $('orders-newest').hidden = cursor === null;
    const next = $('orders-next');
    next.hidden = next_cursor === null;
    if (next_cursor !== null) next.href = `/orders?cursor=${encodeURIComponent(next_cursor)}`;
  }
}
