import { html } from 'hono/html';
import type { SearchResult } from '../../catalog/index.ts';
import type { WebDeps } from '../deps.ts';
import { formatMoney } from '../format.ts';
import { layout, type Markup } from '../layout.ts';
import { pageSearch, pagerPages, priceValue, searchHref, type Queries } from '../search-state.ts';
import { productGrid } from '../tiles.ts';

const SORT_LABELS: Record<string, string> = {
  relevance: 'Relevance',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  rating: 'Rating',
  newest: 'Newest',
  bestselling: 'Bestselling',
};

const checked = (on: boolean) => (on ? html` checked` : '');

const priceLabel = (from: number, to: number | null, currency: string) =>
  to === null ? `${formatMoney(from, currency)} and up` : `${formatMoney(from, currency)} to ${formatMoney(to, currency)}`;

/** The filters as one GET form: checkboxes per brand and category, radios for price and rating, sort, in stock. */
function filters(page: Queries, r: SearchResult, currency: string): Markup {
  const on = (name: string, value: string) => (page[name] ?? []).includes(value);
  const price = page.price?.[0] ?? '';
  const rating = page.rating_min?.[0] ?? '';
  return html`<details class="filter-box" open><summary>Filters and sort</summary>
<form class="filters" action="/search" method="get" id="filters" aria-label="Filters">
  ${page.q?.[0] ? html`<input type="hidden" name="q" value="${page.q[0]}">` : ''}
  <label class="sort">Sort by <select name="sort">${Object.entries(SORT_LABELS).map(
    ([v, l]) => html`<option value="${v}"${(page.sort?.[0] ?? 'relevance') === v ? html` selected` : ''}>${l}</option>`,
  )}</select></label>
  <fieldset><legend>Availability</legend>
    <label><input type="checkbox" name="in_stock" value="true"${checked(on('in_stock', 'true'))}> In stock only</label>
  </fieldset>
  ${r.facets.categories.length === 0 ? '' : html`<fieldset><legend>Category</legend>${r.facets.categories.map(
    (c) => html`<label><input type="checkbox" name="category" value="${c.value}"${checked(on('category', c.value))}> ${c.label} <span class="muted">(${c.count})</span></label>`,
  )}</fieldset>`}
  ${r.facets.brands.length === 0 ? '' : html`<fieldset><legend>Brand</legend>${r.facets.brands.map(
    (b) => html`<label><input type="checkbox" name="brand" value="${b.value}"${checked(on('brand', b.value))}> ${b.value} <span class="muted">(${b.count})</span></label>`,
  )}</fieldset>`}
  <fieldset><legend>Price</legend>
    <label><input type="radio" name="price" value=""${checked(price === '')}> Any price</label>
    ${r.facets.price_ranges.map((p) => {
      const v = priceValue(p.from, p.to);
      return html`<label><input type="radio" name="price" value="${v}"${checked(price === v)}> ${priceLabel(p.from, p.to, currency)} <span class="muted">(${p.count})</span></label>`;
    })}
  </fieldset>
  <fieldset><legend>Rating</legend>
    <label><input type="radio" name="rating_min" value=""${checked(rating === '')}> Any rating</label>
    ${r.facets.ratings.map(
      (g) => html`<label><input type="radio" name="rating_min" value="${g.min}"${checked(rating === String(g.min))}> ${g.min} and up <span class="muted">(${g.count})</span></label>`,
    )}
  </fieldset>
  <button type="submit">Apply filters</button>
  <a href="${searchHref({ q: page.q }, {})}">Clear filters</a>
</form></details>`;
}

function pager(page: Queries, r: SearchResult): Markup {
  const last = Math.max(1, Math.min(Math.ceil(r.total / r.page_size), Math.floor(10_000 / r.page_size)));
  if (last === 1) return html``;
  return html`<nav class="pager" aria-label="Pages"><ul>
  ${r.page > 1 ? html`<li><a href="${searchHref(page, { page: String(r.page - 1) })}" rel="prev">Previous</a></li>` : ''}
  ${pagerPages(r.page, last).map((p) =>
    p === null
      ? html`<li aria-hidden="true">…</li>`
      : p === r.page
        ? html`<li><a href="${searchHref(page, { page: String(p) })}" aria-current="page">${p}</a></li>`
        : html`<li><a href="${searchHref(page, { page: String(p) })}" aria-label="Page ${p}">${p}</a></li>`,
  )}
  ${r.page < last ? html`<li><a href="${searchHref(page, { page: String(r.page + 1) })}" rel="next">Next</a></li>` : ''}
</ul></nav>`;
}

/**
 * Search: results for the shopper's words and filters with facet counts, sorts and pages. Bad parameters throw
 * the catalog's `invalid` error naming each one (the edge shows it as a page).
 */
export async function searchPage(deps: WebDeps, page: Queries): Promise<Markup> {
  const query = pageSearch(page);
  const r = await deps.storefront.search(query);
  const currency = r.products[0]?.currency ?? 'USD';
  const heading = query.q === '' ? 'All products' : `Results for “${query.q}”`;
  const first = (r.page - 1) * r.page_size + 1;
  return layout(
    { title: query.q === '' ? 'Search' : `${query.q} – Search`, script: 'search.js', query: query.q },
    html`<h1>${heading}</h1>
<div class="search-layout">
  ${filters(page, r, currency)}
  <section aria-labelledby="results-title" class="results">
    <h2 id="results-title" class="count-line">${r.total === 0
      ? 'No products match'
      : `${first}–${first + r.products.length - 1} of ${r.total} ${r.total === 1 ? 'product' : 'products'}`}</h2>
    ${r.did_you_mean === undefined ? '' : html`<p>Did you mean <a href="${searchHref(page, { q: r.did_you_mean })}">${r.did_you_mean}</a>?</p>`}
    ${productGrid(r.products)}
    ${pager(page, r)}
  </section>
</div>`,
  );
}
