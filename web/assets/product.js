import { api, el, formatDay, formatMoney, problemText, refreshCartCount, say, session } from './common.js';

// The product page: "Add to cart" (the signed-in shopper's cart, or the guest's by its cookie), and the delivery
// estimate for the shopper's destination: the country (and region where zones split it) chosen here and kept in
// the tab, else the signed-in shopper's latest address, else the browser's own country when the shop ships there.
const form = document.getElementById('add-to-cart');
const message = document.getElementById('cart-message');
const PLACE = 'flashline.destination';

form?.addEventListener('submit', async (e) => {
  e.preventDefault();
  const quantity = Number(new FormData(form).get('quantity'));
  const r = await api('POST', '/api/v1/cart/items', { product_id: form.dataset.product, quantity });
  if (!r.ok) return say(message, problemText(r.body));
  const line = r.body.items.find((i) => i.product_id === form.dataset.product);
  say(message, `Added to cart. Your cart holds ${line?.quantity ?? quantity} of this product.`);
  await refreshCartCount();
});

const picker = document.getElementById('destination');
const estimate = document.getElementById('estimate');
const OPTION_NAMES = { standard: 'Standard delivery', express: 'Express delivery' };

/** Offers the chosen country's regions when zones split it ("elsewhere" first when the rest ships too). */
function regionsFor(country, region) {
  const option = [...picker.country.options].find((o) => o.value === country);
  const codes = option?.dataset.regions ? option.dataset.regions.split(' ') : [];
  const select = picker.region;
  const choices = codes.map((c) => Object.assign(el('option', c), { value: c }));
  if (option?.dataset.whole === 'true') choices.unshift(Object.assign(el('option', `Elsewhere in ${option.textContent}`), { value: '' }));
  select.replaceChildren(...choices);
  if (region && codes.includes(region)) select.value = region;
  document.getElementById('region-field').hidden = codes.length === 0;
}

async function showEstimate() {
  const country = picker.country.value;
  const region = picker.region.value;
  const query = new URLSearchParams({ country, ...(region ? { region } : {}) });
  const r = await api('GET', `/api/v1/products/${picker.dataset.product}/availability?${query}`, undefined, { auth: false });
  if (picker.country.value !== country || picker.region.value !== region) return; // a newer choice took over
  if (!r.ok) return estimate.replaceChildren(el('p', problemText(r.body), 'warn'));
  if (r.body.options.length === 0) return estimate.replaceChildren(el('p', 'Out of stock: no delivery to estimate.', 'warn'));
  const list = el('ul', undefined, 'options');
  list.append(
    ...r.body.options.map((o) => {
      const li = el('li');
      li.append(
        el('strong', OPTION_NAMES[o.option] ?? o.option),
        ` · ${formatMoney(o.shipping_cents, r.body.currency)} · arrives by ${formatDay(o.estimated_delivery)} (${o.days} ${o.days === 1 ? 'day' : 'days'})`,
      );
      return li;
    }),
  );
  estimate.replaceChildren(list);
}

/** The destination to start from: the tab's choice, the shopper's latest address, or the browser's country. */
async function firstPlace() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(PLACE) ?? 'null');
    if (kept?.country) return kept;
  } catch {
    // a damaged entry counts as none
  }
  if (session()) {
    const r = await api('GET', '/api/v1/me/addresses');
    const latest = r.ok ? r.body.addresses.at(-1) : undefined;
    if (latest) return { country: latest.country.trim(), region: latest.region?.trim().toUpperCase() ?? '' };
  }
  return { country: navigator.language.split('-')[1] ?? '', region: '' };
}

if (picker) {
  const first = await firstPlace();
  if ([...picker.country.options].some((o) => o.value === first.country)) picker.country.value = first.country;
  regionsFor(picker.country.value, first.region);
  const changed = () => {
    sessionStorage.setItem(PLACE, JSON.stringify({ country: picker.country.value, region: picker.region.value }));
    void showEstimate();
  };
  picker.country.addEventListener('change', () => {
    regionsFor(picker.country.value, '');
    changed();
  });
  picker.region.addEventListener('change', changed);
  picker.addEventListener('submit', (e) => e.preventDefault());
  await showEstimate();
}
