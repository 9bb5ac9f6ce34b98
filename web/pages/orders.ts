import { html } from 'hono/html';
import { layout, type Markup } from '../layout.ts';

/**
 * The signed-in shopper's orders, newest first, a page at a time: orders.js reads GET /api/v1/me/orders with the
 * page's `cursor` (kept in the URL, so a page can be reloaded or linked) and links the next page.
 */
export const ordersPage = (): Markup =>
  layout(
    { title: 'Your orders', script: 'orders.js' },
    html`<h1>Your orders</h1>
<p id="orders-status" role="status" class="message">Loading your orders…</p>
<div id="orders-errors" role="alert" class="message error"></div>
<table id="orders-table" class="stack" hidden>
  <caption class="visually-hidden">Your orders, newest first</caption>
  <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col">Items</th><th scope="col">Total</th></tr></thead>
  <tbody id="orders-rows"></tbody>
</table>
<nav class="pager" aria-label="Order pages"><ul>
  <li><a id="orders-newest" href="/orders" hidden>Newest orders</a></li>
  <li><a id="orders-next" rel="next" hidden>Older orders</a></li>
</ul></nav>`,
  );
