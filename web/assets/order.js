import { api, el, formatDay, formatMoney, formatTime, problemText, say, session, statusText } from './common.js';

// An order as its owner sees it: details, items and totals, each parcel's tracking, the timeline, refunds and
// returns; "Cancel order" while no parcel has left, and "Request a return" within the return window. Every answer of
// the order API redraws the whole order.

const $ = (id) => document.getElementById(id);
const main = $('main');
const status = $('order-status');
const errors = $('order-errors');
const money = (m) => formatMoney(m.amount_cents, m.currency);
const LEFT = new Set(['in_transit', 'out_for_delivery', 'delivered']);
let order;

/** A table row whose cells carry their column's name, which the narrow layout shows beside each value. */
const row = (cells, labels) => {
  const tr = el('tr');
  tr.append(
    ...cells.map((text, i) => {
      const td = el('td', text);
      td.dataset.label = labels[i];
      return td;
    }),
  );
  return tr;
};

function fail(text) {
  say(errors, text);
  errors.focus();
}

function parcel(s, i, count) {
  const li = el('li', undefined, 'panel');
  li.append(el('h3', count === 1 ? 'Parcel' : `Parcel ${i + 1} of ${count}`));
  const items = order.items.filter((x) => x.warehouse_id === s.warehouse_id).map((x) => `${x.quantity} × ${x.title}`);
  const details = el('dl', undefined, 'details');
  const add = (term, value) => details.append(el('dt', term), el('dd', value));
  add('Status', statusText(s.status === 'cancelled' ? 'label voided' : s.status));
  add('Carrier', s.carrier);
  add('Tracking number', s.tracking_number);
  const track = el('dd');
  const link = el('a', `Track ${s.tracking_number}`);
  link.href = s.tracking_url;
  link.rel = 'noopener noreferrer';
  track.append(link);
  details.append(el('dt', 'Tracking link'), track);
  if (items.length > 0) add('Contains', items.join(', '));
  const scans = el('ol', undefined, 'timeline');
  scans.setAttribute('aria-label', `Scans of ${s.tracking_number}`);
  scans.append(...s.events.map((e) => el('li', `${statusText(e.status)} · ${formatTime(e.at)}`)));
  li.append(details, scans);
  return li;
}

function drawReturnForm() {
  const open = ['delivered', 'partially_returned'].includes(order.status) && order.return_until !== null && Date.parse(order.return_until) > Date.now();
  const left = order.returnable.filter((r) => r.quantity > 0);
  $('return-request').hidden = !open || left.length === 0;
  if ($('return-request').hidden) return;
  $('return-window').textContent = `Returns are open until ${formatTime(order.return_until)}.`;
  const titles = new Map(order.items.map((i) => [i.product_id, i.title]));
  $('return-lines').replaceChildren(
    ...left.map((r) => {
      const label = el('label', `${titles.get(r.product_id)} (up to ${r.quantity})`);
      const input = Object.assign(el('input'), { type: 'number', min: '0', max: String(r.quantity), value: '0', name: r.product_id, inputMode: 'numeric' });
      label.append(input);
      return label;
    }),
  );
}

function draw(o) {
  order = o;
  const c = o.totals.total.currency;
  $('order-id').textContent = o.order_id;
  $('order-placed').textContent = formatTime(o.created_at);
  $('order-state').textContent = statusText(o.status);
  $('order-shipping').textContent = o.shipping_option ? statusText(o.shipping_option) : 'Not chosen';
  $('order-delivery').textContent = o.estimated_delivery ? formatDay(o.estimated_delivery) : 'Not known yet';
  $('order-payment').textContent = o.payment
    ? `${money(o.payment.amount)} by card${o.payment.refunded.amount_cents > 0 ? `, ${money(o.payment.refunded)} refunded` : ''}`
    : 'Not charged';
  const labels = ['Item', 'Quantity', 'Unit price', 'Line total'];
  $('order-items').replaceChildren(
    ...o.items.map((i) => row([i.title, String(i.quantity), money(i.unit_price), formatMoney(i.quantity * i.unit_price.amount_cents, c)], labels)),
  );
  for (const k of ['subtotal', 'shipping', 'tax', 'total']) $(`total-${k}`).textContent = money(o.totals[k]);
  const live = o.shipments.filter((s) => s.status !== 'cancelled');
  $('tracking').hidden = o.shipments.length === 0;
  $('parcels').replaceChildren(...o.shipments.map((s, i) => parcel(s, i, o.shipments.length)));
  $('order-timeline').replaceChildren(...o.timeline.map((t) => el('li', `${statusText(t.status)} · ${formatTime(t.at)}`)));
  $('refunds').hidden = o.refunds.length === 0;
  $('refund-list').replaceChildren(
    ...o.refunds.map((r) => {
      const why = r.reason === 'returned' ? 'for a return' : r.reason === 'cancelled' ? 'for the cancellation' : `(${r.reason})`;
      const state = r.status === 'succeeded' ? `refunded ${formatTime(r.succeeded_at)}` : r.status === 'failed' ? 'being tried again' : 'on its way';
      return el('li', `${money(r.amount)} ${why} · ${state}`);
    }),
  );
  const titles = new Map(o.items.map((i) => [i.product_id, i.title]));
  $('returns').hidden = o.returns.length === 0;
  $('return-list').replaceChildren(
    ...o.returns.map((r) =>
      el(
        'li',
        `${r.lines.map((l) => `${l.quantity} × ${titles.get(l.product_id)} (${l.reason})`).join(', ')} · requested ${formatTime(r.requested_at)} · ${r.status === 'received' ? `received ${formatTime(r.received_at)}` : 'on its way back to us'}`,
      ),
    ),
  );
  $('cancel-box').hidden = o.status !== 'paid' || live.some((s) => LEFT.has(s.status));
  $('cancel-confirm').hidden = true;
  $('cancel-order').hidden = false;
  $('cancel-question').textContent = `Cancel this order? ${money(o.totals.total)} goes back to your card.`;
  drawReturnForm();
  $('order').hidden = false;
}

$('cancel-order').addEventListener('click', () => {
  $('cancel-order').hidden = true;
  $('cancel-confirm').hidden = false;
  $('cancel-yes').focus();
});
$('cancel-no').addEventListener('click', () => {
  $('cancel-confirm').hidden = true;
  $('cancel-order').hidden = false;
  $('cancel-order').focus();
});
$('cancel-yes').addEventListener('click', async () => {
  $('cancel-yes').disabled = true;
  const r = await api('POST', `/api/v1/orders/${order.order_id}/cancel`);
  $('cancel-yes').disabled = false;
  if (!r.ok) return fail(problemText(r.body));
  say(errors, '');
  draw(r.body);
  say(status, `Order cancelled. ${money(r.body.totals.total)} is refunded to your card.`);
});
$('return-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(e.target);
  const reason = String(data.get('reason'));
  const lines = order.returnable
    .map((r) => ({ product_id: r.product_id, quantity: Number(data.get(r.product_id) ?? 0), reason }))
    .filter((l) => l.quantity > 0);
  if (lines.length === 0) return fail('Choose how many units of at least one item to send back.');
  if (reason === '') return fail('Choose a reason for the return.');
  const r = await api('POST', `/api/v1/orders/${order.order_id}/returns`, { lines });
  if (!r.ok) return fail(problemText(r.body));
  say(errors, '');
  e.target.reset();
  const again = await api('GET', `/api/v1/orders/${order.order_id}`);
  if (again.ok) draw(again.body);
  say(status, 'Return requested. Send the units back; the refund follows once they arrive.');
});

if (!session()) {
  say(status, '');
  const link = el('a', 'Sign in');
  link.href = `/signin?next=${encodeURIComponent(location.pathname)}`;
  errors.replaceChildren(link, document.createTextNode(' to see this order.'));
  errors.classList.add('shown');
} else {
  const r = await api('GET', `/api/v1/orders/${main.dataset.order}`);
  if (!r.ok) {
    say(status, '');
    say(errors, problemText(r.body));
  } else {
    draw(r.body);
    say(status, `Order ${statusText(r.body.status).toLowerCase()}.`);
  }
}
