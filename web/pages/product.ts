import { html } from 'hono/html';
import { AppError } from '../../platform/index.ts';
import { productPage, type ProductPage, type WebDeps } from '../deps.ts';
import { countryOptions, type Destination } from '../destinations.ts';
import { formatMoney, ratingText } from '../format.ts';
import { layout, type Markup } from '../layout.ts';
import { art, productGrid } from '../tiles.ts';

const RELATED = 4;

/** Related products: the bestsellers of the product's most specific category, itself left out. */
async function related(deps: WebDeps, p: ProductPage) {
  const slug = p.category_slugs.at(-1);
  if (slug === undefined) return [];
  const r = await deps.storefront.search({
    q: '',
    brands: [],
    categories: [slug],
    inStock: false,
    sort: 'bestselling',
    page: 1,
    pageSize: RELATED + 1,
  });
  return r.products.filter((x) => x.product_id !== p.product_id).slice(0, RELATED);
}

/**
 * Where the product ships from and, for a product sold in the cart, when it would arrive: product.js asks the
 * availability API for the shopper's destination (the country, and the region where zones split it) and draws the
 * options with their price and date.
 */
const delivery = (p: ProductPage, places: Destination[]): Markup => html`<section aria-labelledby="delivery-title" class="delivery">
  <h2 id="delivery-title">Delivery</h2>
  ${p.drop_id === null && places.length > 0
    ? html`<form id="destination" class="inline-form" data-product="${p.product_id}">
    <label>Deliver to <select name="country">${countryOptions(places)}</select></label>
    <label id="region-field" hidden>State or region <select name="region"></select></label>
  </form>
  <div id="estimate" class="estimate" aria-live="polite"></div>`
    : ''}
  ${p.stock.warehouses.length === 0
    ? html`<p class="muted">No warehouse holds this product.</p>`
    : html`<table><caption>Stock by warehouse</caption>
      <thead><tr><th scope="col">Warehouse</th><th scope="col">Region</th><th scope="col">Units</th></tr></thead>
      <tbody>${p.stock.warehouses.map(
        (w) => html`<tr><td>${w.name}</td><td>${w.region}</td><td>${w.available}</td></tr>`,
      )}</tbody></table>`}
</section>`;

/** How the shopper buys it: through its drop, or into the cart (which answers when a line would hold too many). */
function buy(p: ProductPage): Markup {
  if (p.drop_id !== null) {
    return html`<p class="note">This product sells through a drop. <a href="/drops/${p.drop_id}">Go to the drop</a></p>`;
  }
  if (!p.stock.in_stock) return html`<p class="warn">Out of stock</p>`;
  const max = Math.min(p.stock.available, p.max_per_order ?? p.stock.available);
  return html`<form id="add-to-cart" class="buy" data-product="${p.product_id}">
  <label>Quantity <input type="number" name="quantity" value="1" min="1" max="${max}" required inputmode="numeric"></label>
  <button type="submit">Add to cart</button>
</form>`;
}

/**
 * A product: price, rating, stock, where it ships from and when it would arrive at `places`, how to buy it, and
 * related products.
 */
export async function productPageView(deps: WebDeps, places: Destination[], id: string): Promise<Markup> {
  const p = await productPage(deps.storefront, id);
  if (p === null) throw new AppError('not_found', 'There is no such product.');
  const more = await related(deps, p);
  const attributes = Object.entries(p.attributes);
  return layout(
    { title: p.title, script: 'product.js' },
    html`<nav aria-label="Breadcrumb" class="crumbs"><ol>${p.category_path.map(
      (name, i) => html`<li><a href="/search?category=${encodeURIComponent(p.category_slugs[i] ?? name)}">${name}</a></li>`,
    )}</ol></nav>
<article class="product">
  ${art(p.product_id, p.title, 'large')}
  <div class="summary">
    <h1>${p.title}</h1>
    ${p.brand === null ? '' : html`<p class="muted">by ${p.brand}</p>`}
    <p class="price big">${formatMoney(p.price_cents, p.currency)}</p>
    <p>${ratingText(p.rating_avg, p.rating_count)}</p>
    <p class="${p.stock.in_stock ? 'ok' : 'warn'}">${p.stock.in_stock ? `${p.stock.available} in stock` : 'Out of stock'}</p>
    ${buy(p)}
    <p id="cart-message" role="status" class="message"></p>
  </div>
</article>
${p.description === '' ? '' : html`<section aria-labelledby="about-title"><h2 id="about-title">About this product</h2><p>${p.description}</p></section>`}
${attributes.length === 0 ? '' : html`<section aria-labelledby="details-title"><h2 id="details-title">Details</h2><dl class="details">${attributes.map(
  ([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`,
)}</dl></section>`}
${delivery(p, places)}
${more.length === 0 ? '' : html`<section aria-labelledby="related-title"><h2 id="related-title">Related products</h2>${productGrid(more)}</section>`}`,
  );
}
