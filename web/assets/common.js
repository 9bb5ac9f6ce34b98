// Every page's script: the session kept in this tab, calls to the API, problem documents as messages, money,
// the header (cart count, sign in / out) and the search box's autocomplete.

const SESSION = 'flashline.session';

/**
 * The signed-in shopper of this tab: {token, user_id, role}, kept in sessionStorage (never in a URL or a cookie),
 * or null. A token past its expiry is forgotten.
 */
export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION) ?? 'null');
    if (s && typeof s.token === 'string' && s.exp * 1000 > Date.now()) return s;
  } catch {
    // a damaged entry is dropped below
  }
  sessionStorage.removeItem(SESSION);
  return null;
}

/** Keeps a sign-in answer's token for this tab; the role and expiry are read from the token's claims. */
export function keepSession(answer) {
  const claims = JSON.parse(atob(answer.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  sessionStorage.setItem(SESSION, JSON.stringify({ token: answer.token, user_id: answer.user_id, role: claims.role, exp: claims.exp }));
}

export function signOut() {
  sessionStorage.removeItem(SESSION);
}

/** Where the checkout page keeps this tab's checkout; the cart's "Checkout" forgets it to start a new one. */
export const CHECKOUT_STATE = 'flashline.checkout';

/** A fresh Idempotency-Key: 128 random bits (crypto.getRandomValues works on plain http too). */
export const newKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Calls the API on this origin with JSON, the tab's bearer token when signed in (and `auth` is not false), and
 * the guest cart cookie. Resolves {ok, status, body}; a network failure is status 0 with a problem-like body.
 */
export async function api(method, path, body, o = {}) {
  const headers = { accept: 'application/json', ...(o.headers ?? {}) };
  const s = o.auth === false ? null : session();
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: o.signal });
    const text = await res.text();
    const parsed = text === '' ? {} : JSON.parse(text);
    if (res.status === 401 && s) signOut();
    return { ok: res.ok, status: res.status, body: parsed };
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    return { ok: false, status: 0, body: { detail: 'The shop cannot be reached; check the connection and try again.' } };
  }
}

/** A problem document (RFC 9457) in words: its detail, then each field at fault. */
export function problemText(p) {
  const fields = Array.isArray(p?.errors) ? p.errors.map((e) => `${e.field}: ${e.message}`) : [];
  return [p?.detail ?? p?.title ?? 'Something went wrong.', ...fields].join(' · ');
}

/** Shows a message in an element (empty text hides it). */
export function say(el, text) {
  el.textContent = text;
  el.classList.toggle('shown', text !== '');
}

export function formatMoney(cents, currency) {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** A status such as `partially_shipped` in words: "Partially shipped". */
export const statusText = (s) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');

/** A calendar date `YYYY-MM-DD` in words: "Fri, 11 Dec 2026". */
export const formatDay = (ymd) =>
  new Date(`${ymd}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A moment in the shopper's own time: "3 Dec 2026, 14:05". */
export const formatTime = (iso) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** An element with a class and text, for lists drawn from API answers (text only, never markup). */
export function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** The path to return to after signing in: a path on this site only. */
export function nextPath() {
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Shows the cart's item count in the header. */
export async function refreshCartCount() {
  const r = await api('GET', '/api/v1/cart');
  const count = document.getElementById('cart-count');
  if (r.ok && count) count.textContent = r.body.item_count > 0 ? ` (${r.body.item_count})` : '';
}

function header() {
  const s = session();
  const account = document.getElementById('account-link');
  const out = document.getElementById('sign-out');
  const ops = document.getElementById('ops-link');
  if (s) {
    account.hidden = true;
    out.hidden = false;
    document.getElementById('orders-link').hidden = false;
    ops.hidden = s.role !== 'admin';
  } else if (location.pathname !== '/signin') {
    account.href = `/signin?next=${encodeURIComponent(location.pathname + location.search)}`;
  }
  out.addEventListener('click', () => {
    signOut();
    location.assign('/');
  });
  void refreshCartCount();
}

/** The search box as a combobox: suggestions while typing, arrows to move, Enter to go, Escape to close. */
function autocomplete() {
  const box = document.getElementById('search-box');
  const list = document.getElementById('search-suggestions');
  let items = [];
  let active = -1;
  let pending;
  let timer;

  const hrefOf = (s) =>
    s.kind === 'product' && s.id ? `/products/${s.id}`
      : s.kind === 'category' && s.id ? `/search?category=${encodeURIComponent(s.id)}`
        : s.kind === 'brand' ? `/search?brand=${encodeURIComponent(s.text)}`
          : `/search?q=${encodeURIComponent(s.text)}`;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    box.setAttribute('aria-expanded', 'false');
    box.removeAttribute('aria-activedescendant');
    items = [];
    active = -1;
  };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) box.setAttribute('aria-activedescendant', `suggestion-${i}`);
    else box.removeAttribute('aria-activedescendant');
  };
  const show = (suggestions) => {
    items = suggestions;
    list.replaceChildren(
      ...suggestions.map((s, i) => {
        const li = el('li', s.text);
        li.id = `suggestion-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.append(el('span', ` ${s.kind}`, 'muted'));
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          location.assign(hrefOf(s));
        });
        return li;
      }),
    );
    list.hidden = suggestions.length === 0;
    box.setAttribute('aria-expanded', String(suggestions.length > 0));
    active = -1;
  };

  box.addEventListener('input', () => {
    clearTimeout(timer);
    const q = box.value.trim();
    if (q === '') return close();
    timer = setTimeout(async () => {
      pending?.abort();
      pending = new AbortController();
      try {
        const r = await api('GET', `/api/v1/products/autocomplete?q=${encodeURIComponent(q)}&limit=8`, undefined, { signal: pending.signal, auth: false });
        if (r.ok && box.value.trim() === q) show(r.body.suggestions);
      } catch {
        // a newer keystroke took over
      }
    }, 120);
  });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && items.length > 0) {
      e.preventDefault();
      mark((active + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length > 0) {
      e.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      location.assign(hrefOf(items[active]));
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault(); // closes the suggestions and keeps the words; a second Escape clears the box
      close();
    }
  });
  box.addEventListener('blur', () => setTimeout(close, 150));
}

header();
autocomplete();
