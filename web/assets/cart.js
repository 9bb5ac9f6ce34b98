import { api, CHECKOUT_STATE, el, formatMoney, problemText, refreshCartCount, say, session } from './common.js';

// The cart page: the whole cart from the API, redrawn after every change; "Checkout" starts a new checkout of it,
// after a sign-in for a guest (which merges the guest cart into the account's).
const lines = document.getElementById('cart-lines');
const status = document.getElementById('cart-status');
const errors = document.getElementById('cart-errors');
const checkout = document.getElementById('checkout');

const problemWords = (p, titles, currency) => {
  const what = titles.get(p.product_id) ?? 'A product';
  switch (p.kind) {
    case 'price_changed':
      return `${what}: the price changed from ${formatMoney(p.from_cents, currency)} to ${formatMoney(p.to_cents, currency)}.`;
    case 'insufficient_stock':
      return `${what}: only ${p.available} left, you asked for ${p.requested}.`;
    case 'unavailable':
      return `${what} is not for sale now (${p.reason.replace('_', ' ')}).`;
    default:
      return `${what}: ${p.kind}`;
  }
};

function line(item, cart) {
  const li = el('li', undefined, 'line');
  const title = el('a', item.title);
  title.href = `/products/${item.product_id}`;
  const form = el('form', undefined, 'line-form');
  const label = el('label', 'Quantity ');
  const input = el('input');
  Object.assign(input, { type: 'number', min: '0', value: String(item.quantity), name: 'quantity' });
  input.setAttribute('aria-label', `Quantity of ${item.title}`);
  label.replaceChildren(input);
  const update = el('button', 'Update');
  update.type = 'submit';
  update.setAttribute('aria-label', `Update quantity of ${item.title}`);
  const remove = el('button', 'Remove', 'link');
  remove.type = 'button';
  remove.setAttribute('aria-label', `Remove ${item.title}`);
  form.append(label, update, remove);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void change('PATCH', item.product_id, { quantity: Number(input.value) });
  });
  remove.addEventListener('click', () => void change('DELETE', item.product_id));
  li.append(
    title,
    el('span', `${formatMoney(item.unit_price_cents, cart.currency)} each`, 'muted'),
    form,
    el('strong', item.available ? formatMoney(item.line_total_cents, cart.currency) : 'Not for sale'),
  );
  return li;
}

function draw(cart) {
  const titles = new Map(cart.items.map((i) => [i.product_id, i.title]));
  lines.replaceChildren(...cart.items.map((i) => line(i, cart)));
  document.getElementById('cart-items').textContent = String(cart.item_count);
  document.getElementById('cart-subtotal').textContent = formatMoney(cart.subtotal_cents, cart.currency);
  say(status, cart.items.length === 0 ? 'Your cart is empty.' : `${cart.item_count} ${cart.item_count === 1 ? 'item' : 'items'} in your cart.`);
  say(errors, cart.problems.map((p) => problemWords(p, titles, cart.currency)).join(' '));
  checkout.disabled = !cart.items.some((i) => i.available);
}

async function change(method, productId, body) {
  const r = await api(method, `/api/v1/cart/items/${productId}`, body);
  if (!r.ok) return say(errors, problemText(r.body));
  draw(r.body);
  await refreshCartCount();
}

checkout.addEventListener('click', () => {
  sessionStorage.removeItem(CHECKOUT_STATE);
  location.assign(session() ? '/checkout' : '/signin?next=%2Fcheckout');
});
if (!session()) document.getElementById('checkout-note').textContent = 'You sign in or create an account first; your cart comes with you.';

const r = await api('GET', '/api/v1/cart');
if (r.ok) draw(r.body);
else say(errors, problemText(r.body));
