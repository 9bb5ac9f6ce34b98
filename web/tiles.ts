import { html } from 'hono/html';
import type { PublicDrop } from '../admission/index.ts';
import type { SearchResult } from '../catalog/index.ts';
import { formatMoney, formatUtc, initials, ratingText, tileShade } from './format.ts';
import type { Markup } from './layout.ts';

type Hit = SearchResult['products'][number];

/**
 * A product's picture: a tile of its initials in one of six shades. Product images are URLs on other hosts, and
 * pages fetch nothing the edge does not serve.
 */
export const art = (id: string, title: string, size: 'small' | 'large' = 'small'): Markup =>
  html`<div class="art art-${tileShade(id)} art-${size}" aria-hidden="true">${initials(title)}</div>`;

/** A product in a list: picture, linked title, brand, price, rating and stock. */
export const productCard = (p: Hit): Markup => html`<li class="card">
  ${art(p.product_id, p.title)}
  <h3><a href="/products/${p.product_id}">${p.title}</a></h3>
  ${p.brand === null ? '' : html`<p class="muted">${p.brand}</p>`}
  <p class="price">${formatMoney(p.price_cents, p.currency)}</p>
  <p class="rating">${ratingText(p.rating_avg, p.rating_count)}</p>
  <p class="${p.in_stock ? 'ok' : 'warn'}">${p.in_stock ? 'In stock' : 'Out of stock'}</p>
</li>`;

export const productGrid = (products: Hit[]): Markup =>
  html`<ul class="grid">${products.map(productCard)}</ul>`;

const dropState: Record<PublicDrop['status'], string> = {
  scheduled: 'Opens',
  open: 'Open now',
  sold_out: 'Sold out',
  ended: 'Ended',
};

/** A drop in a list: its product, price, status and the time it opens. */
export const dropCard = (d: PublicDrop, title: string): Markup => html`<li class="card drop-card">
  ${art(d.product_id, title)}
  <h3><a href="/drops/${d.drop_id}">${title}</a></h3>
  <p class="price">${formatMoney(d.price.amount_cents, d.price.currency)}</p>
  <p><span class="badge badge-${d.status}">${dropState[d.status]}</span>
    ${d.status === 'scheduled' ? html`<time datetime="${d.starts_at}">${formatUtc(d.starts_at)}</time>` : ''}</p>
  <p class="muted">${d.remaining} of ${d.quantity} left</p>
</li>`;
