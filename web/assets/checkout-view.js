import { el, formatDay, formatMoney } from './common.js';

// What the checkout page draws from the API's answers: the steps, the order summary and review, the address and
// shipping choices, and the differences of a total that moved. No requests and no state of its own.

const $ = (id) => document.getElementById(id);
export const STEPS = ['address', 'shipping', 'card', 'review'];
const PANELS = [...STEPS, 'done', 'gone'];
const OPTION_NAMES = { standard: 'Standard', express: 'Express' };

export const timeOf = (iso) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
export const cardName = (id) => document.querySelector(`#card-form input[value="${id}"]`)?.parentElement.textContent.trim() ?? id;
const addressText = (a) => [a.name, a.line1, a.city, a.region, a.postal_code, a.country.trim()].filter(Boolean).join(', ');
const days = (n) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** Shows one panel (a step, the confirmation or the end), marks the step and moves the focus to its heading. */
export function showPanel(panel) {
  for (const p of PANELS) $(`step-${p}`).hidden = p !== panel;
  const current = STEPS.indexOf(panel);
  $('steps-nav').hidden = current < 0;
  $('hold').hidden = current < 0;
  for (const li of document.querySelectorAll('.steps li')) {
    const i = STEPS.indexOf(li.dataset.step);
    if (i === current) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
    li.classList.toggle('done', i < current);
  }
  $(`${panel}-title`).focus();
}

/** The order summary, the review and the reservation's end, from a checkout, its shopper's addresses and card. */
export function drawCheckout(v, addresses, card) {
  const money = (cents) => formatMoney(cents, v.currency);
  $('summary').hidden = false;
  $('summary-lines').replaceChildren(
    ...v.lines.map((l) => {
      const li = el('li', undefined, 'line');
      li.append(el('span', `${l.quantity} × ${l.title}`), el('strong', money(l.line_total_cents)));
      return li;
    }),
  );
  const chosen = v.shipping_address_id !== null;
  $('sum-subtotal').textContent = money(v.subtotal_cents);
  $('sum-shipping').textContent = chosen ? money(v.shipping_cents) : 'After the address';
  $('sum-tax').textContent = chosen ? money(v.tax_cents) : 'After the address';
  $('sum-total').textContent = money(v.total_cents);
  const address = addresses.find((a) => a.address_id === v.shipping_address_id);
  $('review-address').textContent = address ? addressText(address) : '';
  $('review-shipping').textContent = v.shipping_option ? `${OPTION_NAMES[v.shipping_option]}, ${money(v.shipping_cents)}` : '';
  $('review-delivery').textContent = v.estimated_delivery ? formatDay(v.estimated_delivery) : '';
  $('review-card').textContent = cardName(card);
  $('hold-until').textContent = timeOf(v.expires_at);
  $('hold-until').dateTime = v.expires_at;
}

/** The time left of the reservation, `m:ss`. */
export function drawTimeLeft(ms) {
  const s = Math.ceil(ms / 1000);
  $('hold-left').textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const radio = (name, value, text, checked) => {
  const label = el('label');
  label.append(Object.assign(el('input'), { type: 'radio', name, value, checked }), ` ${text}`);
  return label;
};

/** The shopper's addresses and "A new address" as choices, `current` chosen; the new address's fields with it. */
export function drawAddresses(addresses, current) {
  $('address-choices').replaceChildren(...addresses.map((a) => radio('address', a.address_id, addressText(a), a.address_id === current)), radio('address', 'new', 'A new address', current === 'new'));
  $('new-address').hidden = current !== 'new';
}

/** The shipping options with their price and date, `chosen` checked. */
export function drawOptions(answer, chosen) {
  $('shipping-choices').replaceChildren(
    ...answer.options.map((o) =>
      radio('option', o.option, `${OPTION_NAMES[o.option]}: ${formatMoney(o.shipping_cents, answer.currency)}, arrives by ${formatDay(o.estimated_delivery)} (${days(o.days)})`, o.option === chosen),
    ),
  );
}

/** A total that moved (the 409 `total_changed` answer) in words: what it was, what it is, and each difference. */
export function drawTotalMoved(p, v) {
  const money = (cents) => formatMoney(cents, v.currency);
  const titles = new Map(v.lines.map((l) => [l.product_id, l.title]));
  const changes = [
    ...p.price_changes.map((c) => `${titles.get(c.product_id) ?? 'An item'}: ${money(c.from_cents)} → ${money(c.to_cents)} each`),
    ...['shipping', 'tax']
      .filter((k) => p.was[`${k}_cents`] !== p.now[`${k}_cents`])
      .map((k) => `${k === 'tax' ? 'Tax' : 'Shipping'}: ${money(p.was[`${k}_cents`])} → ${money(p.now[`${k}_cents`])}`),
  ];
  $('moved-text').textContent = `The total changed from ${money(p.expected_total_cents)} to ${money(p.now.total_cents)} since it was shown. Nothing was charged.`;
  $('moved-list').replaceChildren(...changes.map((c) => el('li', c)));
  $('accept-total').textContent = `Accept the new total of ${money(p.now.total_cents)}`;
  $('total-moved').hidden = false;
  $('place-order').disabled = true;
}

/** Lines of the checkout that cannot be had (the 409 `unavailable` answer) in words. */
export const unavailableText = (problems, v) => {
  const titles = new Map(v.lines.map((l) => [l.product_id, l.title]));
  return problems
    .map((p) => `${titles.get(p.product_id) ?? 'An item'}${p.kind === 'insufficient_stock' ? `: only ${p.available} left.` : ' is no longer for sale.'}`)
    .join(' ');
};
