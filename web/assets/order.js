import { api, el, formatMoney, problemText, say, session } from './common.js';

// An order as its owner sees it.
const main = document.getElementById('main');
const status = document.getElementById('order-status');
const errors = document.getElementById('order-errors');
const words = (s) => s.replace(/[._]/g, ' ');

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
    const o = r.body;
    say(status, `Order ${words(o.status)}.`);
    document.getElementById('order-id').textContent = o.order_id;
    document.getElementById('order-state').textContent = words(o.status);
    document.getElementById('order-total').textContent = formatMoney(o.total.amount_cents, o.total.currency);
    document.getElementById('order-delivery').textContent = o.estimated_delivery ?? 'Not known yet';
    document.getElementById('order-items').replaceChildren(
      ...o.items.map((i) => el('li', `${i.quantity} × ${i.title} (${formatMoney(i.unit_price.amount_cents, i.unit_price.currency)})`)),
    );
    document.getElementById('order-timeline').replaceChildren(
      ...o.timeline.map((t) => el('li', `${words(t.type)} · ${new Date(t.at).toLocaleString()}`)),
    );
    document.getElementById('order').hidden = false;
  }
}
