import { api, el, formatMoney, problemText, say, session } from './common.js';

// The ops dashboard: products, warehouses, stock and drops through the admin API, and a live panel per drop fed
// by the edge's event stream (GET /api/v1/admin/drops/{id}/live), drawn as small SVG charts.

const $ = (id) => document.getElementById(id);
const errors = $('ops-errors');
const POINTS = 60;
const SVG = 'http://www.w3.org/2000/svg';

const FIGURES = [
  ['joins_per_s', 'Joins/s', (v) => v.toFixed(1)],
  ['decisions_per_s', 'Decisions/s', (v) => v.toFixed(1)],
  ['queue_depth', 'Queue depth', String],
  ['remaining', 'Remaining', String],
  ['held', 'Holds', String],
  ['sockets', 'Sockets', String],
  ['purchased', 'Purchases', String],
  ['p99_join_ms', 'p99 join (ms)', (v) => (v === null ? '–' : v.toFixed(1))],
];

const fail = (r) => say(errors, problemText(r.body));

function option(value, text) {
  const o = el('option', text);
  o.value = value;
  return o;
}

function addProductOption(p) {
  for (const select of document.querySelectorAll('.product-select')) select.append(option(p.product_id, p.title));
}

async function loadProducts() {
  const r = await api('GET', '/api/v1/products/search?sort=newest&page_size=50');
  if (!r.ok) return fail(r);
  $('product-rows').replaceChildren(
    ...r.body.products.map((p) => {
      const tr = el('tr');
      const link = el('a', p.title);
      link.href = `/products/${p.product_id}`;
      const title = el('td');
      title.append(link);
      tr.append(title, el('td', formatMoney(p.price_cents, p.currency)), el('td', p.in_stock ? 'yes' : 'no'));
      return tr;
    }),
  );
  for (const select of document.querySelectorAll('.product-select')) select.replaceChildren();
  r.body.products.forEach(addProductOption);
}

async function loadWarehouses() {
  const r = await api('GET', '/api/v1/admin/warehouses');
  if (!r.ok) return fail(r);
  $('warehouse-select').replaceChildren(...r.body.warehouses.map((w) => option(w.warehouse_id, `${w.name} (${w.region})`)));
}

/** A small line chart of the last points, labelled with what it shows. */
function sparkline(label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${POINTS} 30`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${label}, last minute`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#0b5cad');
  line.setAttribute('stroke-width', '1.5');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(line);
  return {
    svg,
    draw(values) {
      const xs = values.map((v) => v ?? 0);
      const max = Math.max(1, ...xs);
      // Spread over the width until a minute of points fills it.
      const step = xs.length > 1 ? (POINTS - 1) / (xs.length - 1) : 0;
      line.setAttribute('points', xs.map((v, i) => `${(i * step).toFixed(2)},${(29 - (v / max) * 28).toFixed(2)}`).join(' '));
    },
  };
}

function auditText(a) {
  if (a === null) return 'No audit has run for this drop yet.';
  const r = a.report;
  const when = new Date(a.at).toLocaleTimeString();
  return r.violations.length === 0
    ? `Last audit ${when}: no violation (${r.counts.purchased} purchased of ${r.counts.quantity}, ${r.settled ? 'settled' : 'not settled yet'}).`
    : `Last audit ${when}: ${r.violations.length} violations: ${r.violations.join('; ')}`;
}

const panels = new Map();

/** The panel of a drop: its figures with charts, close and audit buttons, fed by the live stream. */
async function addPanel(drop) {
  if (panels.has(drop.drop_id)) return;
  const product = await api('GET', `/api/v1/products/${drop.product_id}`, undefined, { auth: false });
  const title = product.ok ? product.body.title : 'Drop';
  const section = el('section', undefined, 'drop-panel');
  section.setAttribute('aria-label', `Drop of ${title}`);
  const head = el('header');
  const h = el('h3');
  const link = el('a', title);
  link.href = `/drops/${drop.drop_id}`;
  h.append(link);
  const status = el('span', drop.status.replace('_', ' '), `badge badge-${drop.status}`);
  const close = el('button', 'Close drop');
  close.type = 'button';
  close.setAttribute('aria-label', `Close drop: ${title}`);
  const audit = el('button', 'Run audit');
  audit.type = 'button';
  audit.setAttribute('aria-label', `Run audit: ${title}`);
  head.append(h, status, el('span', `opens ${new Date(drop.starts_at).toLocaleString()}`, 'muted'), close, audit);
  const figures = el('dl', undefined, 'figures');
  const cells = new Map();
  for (const [key, label] of FIGURES) {
    const box = el('div', undefined, 'figure');
    const value = el('span', '–');
    const chart = sparkline(label);
    const dd = el('dd');
    dd.append(value, chart.svg);
    box.append(el('dt', label), dd);
    figures.append(box);
    cells.set(key, { value, chart, history: [] });
  }
  const auditLine = el('p', '', 'audit');
  auditLine.setAttribute('role', 'status');
  section.append(head, figures, auditLine);
  $('drop-panels').prepend(section);
  panels.set(drop.drop_id, section);

  close.addEventListener('click', async () => {
    const r = await api('POST', `/api/v1/admin/drops/${drop.drop_id}/close`);
    if (!r.ok) return fail(r);
    status.textContent = r.body.status.replace('_', ' ');
  });
  audit.addEventListener('click', async () => {
    audit.disabled = true;
    auditLine.textContent = 'Auditing…';
    const r = await api('POST', `/api/v1/admin/drops/${drop.drop_id}/audit`);
    audit.disabled = false;
    auditLine.textContent = r.ok ? auditText(r.body.audit) : problemText(r.body);
  });
  const last = await api('GET', `/api/v1/admin/drops/${drop.drop_id}/audit`);
  auditLine.textContent = last.ok ? auditText(last.body.audit) : problemText(last.body);

  const onSample = (s) => {
    status.textContent = s.status.replace('_', ' ');
    status.className = `badge badge-${s.status}`;
    section.dataset.remaining = String(s.remaining);
    section.dataset.purchased = String(s.purchased);
    for (const [key, , format] of FIGURES) {
      const c = cells.get(key);
      c.history = [...c.history, s[key]].slice(-POINTS);
      c.value.textContent = format(s[key]);
      c.chart.draw(c.history);
    }
  };
  void follow(drop.drop_id, onSample);
}

/** Reads the drop's event stream (fetch, so the bearer token goes with it) and comes back when it ends. */
async function follow(dropId, onSample) {
  for (;;) {
    const s = session();
    if (!s) return;
    try {
      const res = await fetch(`/api/v1/admin/drops/${dropId}/live`, { headers: { authorization: `Bearer ${s.token}` } });
      if (res.status === 404) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const events = buffer.split('\n\n');
        buffer = events.pop();
        for (const e of events) {
          const data = e.split('\n').find((l) => l.startsWith('data: '));
          if (data) onSample(JSON.parse(data.slice(6)));
        }
      }
    } catch {
      // the edge went away; try again below
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function loadDrops() {
  const r = await api('GET', '/api/v1/drops');
  if (!r.ok) return fail(r);
  for (const d of r.body.drops) await addPanel(d);
}

/** Binds a form to an API call; `after` gets the answer. */
function bind(id, message, send, after) {
  const form = $(id);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say(errors, '');
    const data = Object.fromEntries(new FormData(form));
    const r = await send(data);
    if (!r.ok) return say($(message), problemText(r.body));
    await after(r.body, data);
  });
}

const localInput = (ms) => {
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

const s = session();
if (!s || s.role !== 'admin') {
  $('ops-gate').hidden = false;
} else {
  $('ops').hidden = false;
  document.querySelector('#create-drop [name=starts_at]').value = localInput(Date.now() + 120_000);
  bind(
    'create-product',
    'product-message',
    (d) =>
      api('POST', '/api/v1/admin/products', {
        sku: d.sku,
        title: d.title,
        price_cents: Math.round(Number(d.price) * 100),
        currency: d.currency.toUpperCase(),
        ...(d.brand ? { brand: d.brand } : {}),
        ...(d.category_path ? { category_path: d.category_path.split('>').map((x) => x.trim()).filter(Boolean) } : {}),
      }),
    (b, d) => {
      addProductOption({ product_id: b.product_id, title: d.title });
      say($('product-message'), `Created ${d.title}.`);
    },
  );
  bind('create-warehouse', 'inventory-message', (d) => api('POST', '/api/v1/admin/warehouses', d), async (_b, d) => {
    await loadWarehouses();
    say($('inventory-message'), `Added the warehouse ${d.name}.`);
  });
  bind(
    'set-inventory',
    'inventory-message',
    (d) => api('PUT', '/api/v1/admin/inventory', { ...d, available_count: Number(d.available_count) }),
    (b) => say($('inventory-message'), `Stock set: ${b.available_count} units for sale.`),
  );
  bind(
    'create-drop',
    'drop-message',
    (d) =>
      api('POST', '/api/v1/admin/drops', {
        product_id: d.product_id,
        quantity: Number(d.quantity),
        starts_at: new Date(d.starts_at).toISOString(),
        per_user_limit: Number(d.per_user_limit),
        hold_seconds: Number(d.hold_seconds),
      }),
    async (drop) => {
      say($('drop-message'), `Drop created: ${drop.quantity} units, opening ${new Date(drop.starts_at).toLocaleString()}.`);
      await addPanel(drop);
    },
  );
  await Promise.all([loadProducts(), loadWarehouses()]);
  await loadDrops();
}
