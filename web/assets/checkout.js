import { api, CHECKOUT_STATE, el, formatDay, formatMoney, newKey, problemText, refreshCartCount, say, session } from './common.js';
import { drawAddresses, drawCheckout, drawOptions, drawTimeLeft, drawTotalMoved, showPanel, STEPS, timeOf, unavailableText } from './checkout-view.js';

// The checkout: address, shipping, card, review, then the order. What the tab knows is kept in sessionStorage:
// the checkout, the step, the card, and the payment attempt (its Idempotency-Key, card and the total agreed), so a
// reload resumes where the shopper was and a second "Place order" for the same attempt can never charge twice. A new
// card or a new total is a new attempt with a new key.

const $ = (id) => document.getElementById(id);
const status = $('checkout-status');
const errors = $('checkout-errors');

let state; // {user_id, begin_key, checkout_id, step, card, attempt: {key, card, expected}, order_id}
let view; // the checkout as the API last answered it
let addresses = [];
let busy = false;

const save = () => sessionStorage.setItem(CHECKOUT_STATE, JSON.stringify(state));

function fail(text) {
  say(errors, text);
  errors.focus();
}

function show(panel) {
  if (STEPS.includes(panel)) {
    state.step = panel;
    save();
  }
  showPanel(panel);
}

function drawView(v) {
  view = v;
  drawCheckout(v, addresses, state.card);
  tick();
}

function tick() {
  if (view?.status !== 'open') return;
  const left = Math.max(0, Date.parse(view.expires_at) - Date.now());
  drawTimeLeft(left);
  if (left === 0) gone('expired');
}

function gone(reason) {
  if (view) view = { ...view, status: reason };
  const words = {
    expired: 'This checkout expired: its items were reserved for a limited time and went back on sale. Your cart still holds them.',
    released: 'This checkout was replaced by a newer one or released. Your cart still holds its items.',
    refunded: 'This checkout could not become an order, and the payment was refunded to your card.',
  };
  $('gone-text').textContent = words[reason] ?? words.released;
  say(status, '');
  say(errors, '');
  show('gone');
}

function done(orderId, totals, delivery) {
  if (view) view = { ...view, status: 'completed' };
  state.order_id = orderId;
  state.attempt = null;
  save();
  $('done-order').textContent = orderId;
  $('done-total').textContent = totals ? formatMoney(totals.total_cents, totals.currency) : formatMoney(view.total_cents, view.currency);
  $('done-delivery').textContent = delivery ? formatDay(delivery) : 'Not known yet';
  $('done-link').href = `/orders/${orderId}`;
  say(errors, '');
  say(status, `Thank you! Your order ${orderId} is placed.`);
  show('done');
  void refreshCartCount();
}

/** What an answer of the checkout API that is not a success means for the page; `retry` repeats the request. */
function outcome(r, retry) {
  const reason = r.body.reason;
  if (r.status === 410) return gone(reason);
  if (r.status === 409 && reason === 'completed') return done(r.body.order_id);
  if (r.status === 409 && reason === 'payment_in_progress') {
    say(status, 'Your payment is being processed…');
    return void setTimeout(() => void load(), 1_000);
  }
  if (r.status === 409 && reason === 'total_changed') {
    state.attempt = null; // the next attempt agrees to another total
    save();
    drawTotalMoved(r.body, view);
    fail('The total has changed: see the differences below.');
    return $('accept-total').focus();
  }
  if (r.status === 409 && reason === 'no_address') {
    void openStep('address');
    return fail(problemText(r.body));
  }
  if (r.status === 409 && reason === 'unavailable') return fail(`${unavailableText(r.body.problems, view)} Change your cart, then check out again.`);
  if (r.status === 409 && reason === undefined && retry) {
    say(status, 'Still working on it…');
    return void setTimeout(retry, 1_000); // another request under the same key is running
  }
  if (r.status === 422 && reason === 'card_declined') {
    state.attempt = null; // that key is spent: another card is another attempt
    save();
    void openStep('card');
    return fail(`The card was declined. Nothing was charged, and your items stay reserved until ${timeOf(view.expires_at)}: choose another card.`);
  }
  if (r.status === 503 || r.status === 0) {
    return fail(`${problemText(r.body)} Your payment may not be confirmed yet: place the order again and it is sent as the same attempt, so you are charged at most once.`);
  }
  fail(problemText(r.body));
}

async function placeOrder() {
  if (busy) return;
  busy = true;
  $('place-order').disabled = true;
  const a = state.attempt;
  if (!a || a.card !== state.card || a.expected !== view.total_cents) {
    state.attempt = { key: newKey(), card: state.card, expected: view.total_cents };
    save();
  }
  const { key, card, expected } = state.attempt;
  say(errors, '');
  say(status, 'Placing your order…');
  const body = { payment_method_id: card, expected_total_cents: expected };
  const r = await api('POST', `/api/v1/checkouts/${state.checkout_id}/complete`, body, { headers: { 'idempotency-key': key } });
  busy = false;
  $('place-order').disabled = false;
  if (r.ok) return done(r.body.order_id, r.body.totals, r.body.estimated_delivery);
  say(status, '');
  outcome(r, () => void placeOrder());
}

/** Changes the checkout; false (and the reason shown) when it could not. */
async function patch(change) {
  const r = await api('PATCH', `/api/v1/checkouts/${state.checkout_id}`, change);
  if (!r.ok) {
    outcome(r);
    return false;
  }
  drawView(r.body);
  return true;
}

async function openStep(step) {
  say(status, '');
  if (step === 'address') drawAddresses(addresses, view.shipping_address_id ?? addresses.at(-1)?.address_id ?? 'new');
  if (step === 'shipping') {
    const r = await api('GET', `/api/v1/checkouts/${state.checkout_id}/shipping-options`);
    if (!r.ok) return outcome(r);
    drawOptions(r.body, view.shipping_option ?? 'standard');
  }
  if (step === 'card') {
    const input = document.querySelector(`#card-form input[value="${state.card}"]`);
    if (input) input.checked = true;
  }
  if (step === 'review') {
    $('total-moved').hidden = true;
    $('place-order').disabled = false;
    drawView(view);
  }
  show(step);
}

$('address-form').addEventListener('change', (e) => {
  if (e.target.name === 'address') $('new-address').hidden = e.target.value !== 'new';
});
$('address-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  say(errors, '');
  const data = new FormData(e.target);
  let id = String(data.get('address') ?? 'new');
  if (id === 'new') {
    const optional = ['line2', 'region'];
    const fields = ['name', 'line1', 'line2', 'city', 'region', 'postal_code', 'country'];
    const given = fields.map((f) => [f, String(data.get(f) ?? '').trim()]).filter(([f, v]) => v !== '' || !optional.includes(f));
    const r = await api('POST', '/api/v1/me/addresses', Object.fromEntries(given));
    if (!r.ok) return fail(problemText(r.body));
    id = r.body.address_id;
    const list = await api('GET', '/api/v1/me/addresses');
    if (list.ok) addresses = list.body.addresses;
  }
  if (await patch({ shipping_address_id: id })) await openStep('shipping');
});
$('shipping-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  say(errors, '');
  if (await patch({ shipping_option: String(new FormData(e.target).get('option')) })) await openStep('card');
});
$('card-form').addEventListener('submit', (e) => {
  e.preventDefault();
  say(errors, '');
  state.card = String(new FormData(e.target).get('card'));
  save();
  void openStep('review');
});
for (const b of document.querySelectorAll('[data-goto]')) b.addEventListener('click', () => void openStep(b.dataset.goto));
$('place-order').addEventListener('click', () => void placeOrder());
$('accept-total').addEventListener('click', async () => {
  const r = await api('GET', `/api/v1/checkouts/${state.checkout_id}`);
  if (!r.ok) return outcome(r);
  say(errors, '');
  drawView(r.body);
  await openStep('review');
  say(status, `The new total is ${formatMoney(view.total_cents, view.currency)}. Place the order when you are ready.`);
  $('place-order').focus();
});
$('start-again').addEventListener('click', () => {
  state = { user_id: state.user_id, card: state.card };
  save();
  void begin();
});

/** Starts a checkout of the cart, under a key kept in the tab, so a reload during the request makes no second one. */
async function begin() {
  say(status, 'Reserving your items…');
  state.begin_key ??= newKey();
  save();
  const r = await api('POST', '/api/v1/checkouts', undefined, { headers: { 'idempotency-key': state.begin_key } });
  if (r.ok || r.body.reason === 'payment_in_progress') state.checkout_id = r.body.checkout_id;
  else {
    // The key stays: a request that failed under it left nothing, so trying again runs again.
    say(status, '');
    const toCart = el('a', 'Back to the cart');
    toCart.href = '/cart';
    errors.replaceChildren(el('span', `${problemText(r.body)} `), toCart);
    return errors.classList.add('shown');
  }
  state.step = 'address';
  save();
  await load();
}

/** Reads the checkout and shows what it has come to. */
async function load() {
  const r = await api('GET', `/api/v1/checkouts/${state.checkout_id}`);
  if (r.status === 404) {
    state = { user_id: state.user_id, card: state.card };
    return begin();
  }
  if (!r.ok) return fail(problemText(r.body));
  drawView(r.body);
  switch (view.status) {
    case 'completed':
      return done(view.order_id, null, view.estimated_delivery);
    case 'expired':
    case 'released':
      return gone(view.status);
    case 'paying':
      if (state.attempt) return placeOrder(); // the same attempt again: answered by the first, never a second charge
      say(status, 'Your payment is being processed…');
      return void setTimeout(() => void load(), 1_000);
    default:
      if (Date.parse(view.expires_at) <= Date.now()) return gone('expired');
      say(status, '');
      return openStep(view.shipping_address_id === null ? 'address' : (state.step ?? 'address'));
  }
}

const s = session();
if (!s) location.replace('/signin?next=%2Fcheckout');
else {
  try {
    const kept = JSON.parse(sessionStorage.getItem(CHECKOUT_STATE) ?? 'null');
    state = kept?.user_id === s.user_id ? kept : { user_id: s.user_id };
  } catch {
    state = { user_id: s.user_id };
  }
  state.card ??= 'pm_card_visa';
  const list = await api('GET', '/api/v1/me/addresses');
  addresses = list.ok ? list.body.addresses : [];
  setInterval(tick, 1_000);
  if (state.order_id) {
    const r = await api('GET', `/api/v1/orders/${state.order_id}`);
    if (r.ok) done(state.order_id, { total_cents: r.body.totals.total.amount_cents, currency: r.body.totals.total.currency }, r.body.estimated_delivery);
    else fail(problemText(r.body));
  } else if (state.checkout_id) await load();
  else await begin();
}
