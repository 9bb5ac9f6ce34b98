import { html } from 'hono/html';
import { layout, type Markup } from '../layout.ts';

/** An order as its owner sees it (order.js reads GET /api/v1/orders/{id} with the shopper's token). */
export const orderPage = (orderId: string): Markup =>
  layout(
    { title: 'Order', script: 'order.js', data: { order: orderId } },
    html`<h1>Order</h1>
<p id="order-status" role="status" class="message">Loading the order…</p>
<div id="order-errors" role="alert" class="message error"></div>
<section id="order" hidden aria-labelledby="order-title">
  <h2 id="order-title" class="visually-hidden">Order details</h2>
  <dl class="details">
    <dt>Order number</dt><dd id="order-id"></dd>
    <dt>Status</dt><dd id="order-state"></dd>
    <dt>Total</dt><dd id="order-total"></dd>
    <dt>Estimated delivery</dt><dd id="order-delivery"></dd>
  </dl>
  <h3>Items</h3>
  <ul id="order-items" class="lines"></ul>
  <h3>Timeline</h3>
  <ol id="order-timeline" class="timeline"></ol>
</section>`,
  );
