import { html } from 'hono/html';
import { titledDrops, type WebDeps } from '../deps.ts';
import { layout, type Markup } from '../layout.ts';
import { dropCard, productGrid } from '../tiles.ts';

const BESTSELLERS = 8;

/** Home: the drops open now and coming up, the bestsellers, and the top categories. */
export async function homePage(deps: WebDeps): Promise<Markup> {
  const [drops, best, categories] = await Promise.all([
    deps.drops.list().then((d) => titledDrops(deps.storefront, d)),
    deps.storefront.search({ q: '', brands: [], categories: [], inStock: false, sort: 'bestselling', page: 1, pageSize: BESTSELLERS }),
    deps.storefront.categories(),
  ]);
  return layout(
    { title: 'Home' },
    html`<h1>flashline</h1>
<section aria-labelledby="drops-title">
  <h2 id="drops-title">Drops</h2>
  ${drops.length === 0
    ? html`<p class="muted">No drop is open or coming up right now.</p>`
    : html`<ul class="grid">${drops.map((d) => dropCard(d.drop, d.title))}</ul>`}
</section>
<section aria-labelledby="best-title">
  <h2 id="best-title">Bestsellers</h2>
  ${best.products.length === 0 ? html`<p class="muted">The catalog is empty.</p>` : productGrid(best.products)}
</section>
<section aria-labelledby="categories-title">
  <h2 id="categories-title">Shop by category</h2>
  <ul class="chips">${categories.slice(0, 12).map(
    (c) => html`<li><a href="/search?category=${encodeURIComponent(c.slug)}">${c.name} <span class="muted">(${c.count})</span></a></li>`,
  )}</ul>
</section>`,
  );
}
