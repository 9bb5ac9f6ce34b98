import { api, el, problemText, say, session } from './common.js';

// The drop page: the countdown, joining (with the card and address to pay with), and the waiting room over the
// WebSocket. What the tab knows of its place (intent, ticket URL, the lowest position shown, the payment
// attempt, the outcome) is kept in sessionStorage, so a reload or a dropped connection rejoins with the same
// ticket, and a position never goes up on screen.

const main = document.getElementById('main');
const dropId = main.dataset.drop;
const startsAt = Date.parse(main.dataset.startsAt);
const KEY = `flashline.drop.${dropId}`;
const $ = (id) => document.getElementById(id);
const statusLine = $('room-status');
const etaLine = $('room-eta');
const progress = $('room-progress');
const link = $('room-link');
const joinErrors = $('join-errors');
const retry = $('retry');

const OUTCOMES = {
  purchased: 'Purchased! The unit is yours and your order is confirmed.',
  sold_out: 'Sold out. Every unit went to shoppers ahead of you.',
  ended: 'Ended. The drop is over.',
  payment_failed: 'Payment failed. The unit went back to the drop.',
  expired: 'Expired. The hold ended before the payment, and the unit went back to the drop.',
  cancelled: 'Cancelled. You left the line.',
};

const DROP_STATES = { scheduled: 'Coming up', open: 'Open now', sold_out: 'Sold out', ended: 'Ended' };

let place = null; // {user_id, intent_id, ws_url, card, address, status, min, first, attempt, outcome, order_id, hold_expires_at}
let socket = null;
let failures = 0;
let paying = false;

const save = () => sessionStorage.setItem(KEY, JSON.stringify(place));
const load = () => {
  try {
    const p = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return p && p.user_id === session()?.user_id ? p : null;
  } catch {
    return null;
  }
};

const clock = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
};
const timeOf = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function countdown() {
  const left = startsAt - Date.now();
  $('countdown').textContent = left > 0 ? `Opens in ${clock(left)}` : '';
  if (left <= 0 && main.dataset.status === 'scheduled') {
    main.dataset.status = 'open';
    $('drop-status').textContent = 'Open now';
  }
}

function finish(status, orderId) {
  if (place.outcome) return;
  place.outcome = status;
  if (orderId) place.order_id = orderId;
  save();
  show();
}

/** Draws the waiting room from what the tab knows. */
function show() {
  $('room').hidden = false;
  $('join-section').hidden = true;
  retry.hidden = true;
  link.replaceChildren();
  if (place.outcome) {
    statusLine.textContent = OUTCOMES[place.outcome];
    etaLine.textContent = '';
    progress.value = 100;
    if (place.order_id) {
      const a = el('a', 'See your order');
      a.href = `/orders/${place.order_id}`;
      link.append(a);
    }
  }
}

function showPosition(position, eta) {
  if (place.outcome || place.held) return;
  place.min = Math.min(place.min ?? Infinity, position);
  place.first = Math.max(place.first ?? 0, place.min);
  save();
  statusLine.textContent = place.min === 0 ? 'Your turn: a unit is being decided for you.' : `You are number ${place.min} in line.`;
  etaLine.textContent = eta == null ? 'Estimating the wait…' : `Estimated wait: about ${eta} ${eta === 1 ? 'second' : 'seconds'}.`;
  progress.value = place.first === 0 ? 100 : Math.round(((place.first - place.min) / place.first) * 100);
}

async function pay() {
  if (paying || place.outcome) return;
  paying = true;
  const until = place.hold_expires_at ? ` until ${timeOf(place.hold_expires_at)}` : '';
  statusLine.textContent = `A unit is held for you${until}. Paying…`;
  etaLine.textContent = '';
  progress.value = 100;
  const r = await api(
    'POST',
    '/api/v1/orders/checkout',
    { intent_id: place.intent_id, payment_method_id: place.card, shipping_address_id: place.address },
    { headers: { 'idempotency-key': `${place.intent_id}-${place.attempt}` } },
  );
  paying = false;
  if (r.ok) return finish('purchased', r.body.order_id);
  if (r.status === 422 && r.body.reason === 'card_declined') {
    statusLine.textContent = `Payment failed: the card was declined. The unit stays held for you${until}: choose another card and pay again.`;
    retry.hidden = false;
    return;
  }
  if (r.status === 410) return finish('expired');
  if (r.status === 409) return; // paid or settled meanwhile: the socket tells the outcome
  statusLine.textContent = `${problemText(r.body)} Trying again…`;
  setTimeout(() => void pay(), 2_000);
}

function onStatus(m) {
  place.status = m.status;
  if (m.status in OUTCOMES) return finish(m.status, m.order_id);
  if (m.status === 'reserved') {
    place.held = true;
    if (m.hold_expires_at) place.hold_expires_at = m.hold_expires_at;
    save();
    return void pay();
  }
  if (m.status === 'waitlisted') {
    statusLine.textContent = 'Every unit is held by shoppers ahead of you. You are on the waitlist: a released unit is yours.';
    etaLine.textContent = '';
  }
  if (m.status === 'prequeued') statusLine.textContent = 'You are in the pre-queue. Places are drawn at random when the drop opens.';
  if (m.status === 'queued' && typeof m.position === 'number') showPosition(m.position, null);
}

function onMessage(m) {
  switch (m.type) {
    case 'drop':
      $('remaining').textContent = String(m.remaining);
      $('drop-status').textContent = DROP_STATES[m.status];
      // With an outcome, the socket stays only to show the stock left until there is none.
      if (place.outcome && (m.status === 'sold_out' || m.status === 'ended')) socket.close(1000);
      // Before the opening, until the intent has a place: the pre-queue (a drop decided in its first moments may
      // still say scheduled after the intent's own status came).
      if (m.status === 'scheduled' && place.status === undefined && place.min === undefined) onStatus({ status: 'prequeued' });
      break;
    case 'position':
      showPosition(m.position, m.eta_seconds);
      break;
    case 'status':
      onStatus(m);
      break;
    default:
      break;
  }
}

/** A fresh ticket for the same intent (joining again answers the same one), or the intent's status once closed. */
async function rejoin() {
  const r = await api('POST', `/api/v1/drops/${dropId}/intents`, {});
  if (r.ok) {
    place.ws_url = r.body.ws_url;
    save();
    return;
  }
  const s = await api('GET', `/api/v1/drops/${dropId}/intents/${place.intent_id}`);
  if (s.ok) onStatus(s.body);
}

function connect() {
  socket = new WebSocket(place.ws_url);
  socket.addEventListener('open', () => (failures = 0));
  socket.addEventListener('message', (e) => onMessage(JSON.parse(e.data)));
  socket.addEventListener('close', (e) => {
    if (e.code === 1000) return;
    failures += 1;
    if (failures === 1) etaLine.textContent = 'Reconnecting to the waiting room; your place is kept.';
    const wait = Math.min(5_000, 250 * 2 ** failures);
    setTimeout(async () => {
      if (failures % 3 === 0) await rejoin();
      connect();
    }, wait);
  });
}

async function fillAddresses(select) {
  const r = await api('GET', '/api/v1/me/addresses');
  const addresses = r.ok ? r.body.addresses : [];
  select.replaceChildren(
    ...addresses.map((a) => {
      const o = el('option', `${a.name}, ${a.line1}, ${a.city}`);
      o.value = a.address_id;
      return o;
    }),
    Object.assign(el('option', 'A new address…'), { value: 'new' }),
  );
  const toggle = () => ($('new-address').hidden = select.value !== 'new');
  select.addEventListener('change', toggle);
  toggle();
}

async function join(form) {
  say(joinErrors, '');
  const data = new FormData(form);
  let address = String(data.get('address'));
  if (address === 'new') {
    const fields = ['name', 'line1', 'city', 'postal_code', 'country'];
    const r = await api('POST', '/api/v1/me/addresses', Object.fromEntries(fields.map((f) => [f, String(data.get(f) ?? '')])));
    if (!r.ok) return say(joinErrors, problemText(r.body));
    address = r.body.address_id;
  }
  const r = await api('POST', `/api/v1/drops/${dropId}/intents`, {});
  if (r.status === 410 && (r.body.reason === 'sold_out' || r.body.reason === 'ended')) {
    // Too late to take a place: the outcome in words, as the waiting room would say it.
    $('room').hidden = false;
    $('join-section').hidden = true;
    statusLine.textContent = OUTCOMES[r.body.reason];
    progress.value = 100;
    return;
  }
  if (!r.ok) return say(joinErrors, problemText(r.body));
  place = { user_id: session().user_id, intent_id: r.body.intent_id, ws_url: r.body.ws_url, card: String(data.get('card')), address, attempt: 1 };
  save();
  show();
  if (r.body.status === 'prequeued') onStatus({ status: 'prequeued' });
  else showPosition(r.body.position, null);
  connect();
}

retry.addEventListener('submit', (e) => {
  e.preventDefault();
  place.card = String(new FormData(retry).get('card'));
  place.attempt += 1;
  save();
  retry.hidden = true;
  void pay();
});

countdown();
setInterval(countdown, 1_000);
place = load();
if (place) {
  place.status = undefined; // the room tells it again on connecting (a pre-queued intent by the drop's status)
  show();
  if (!place.outcome) {
    statusLine.textContent = 'Rejoining the waiting room…';
    if (place.min !== undefined) showPosition(place.min, null);
    connect();
  }
} else if (!session()) {
  $('join-signin').hidden = false;
} else {
  const form = $('join');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void join(form);
  });
  await fillAddresses($('address-select'));
  form.hidden = false;
}
