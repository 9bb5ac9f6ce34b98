import { html } from 'hono/html';
import { layout, type Markup } from '../layout.ts';

/** A titled part of the order that order.js fills in, hidden while it has nothing to show. */
const part = (id: string, title: string, content: Markup): Markup =>
  html`<section id="${id}" aria-labelledby="${id}-title" hidden><h2 id="${id}-title">${title}</h2>${content}</section>`;

/**
 * An order as its owner sees it (order.js reads GET /api/v1/orders/{id} with the shopper's token): its details,
 * items and totals, tracking of each parcel, the timeline, refunds and returns; "Cancel order" while it can be
 * cancelled and "Request a return" within the return window.
 */
export const orderPage = (orderId: string): Markup =>
  layout(
    { title: 'Order', script: 'order.js', data: { order: orderId } },
    html`<h1>Order</h1>
<p id="order-status" role="status" class="message">Loading the order…</p>
<div id="order-errors" role="alert" class="message error" tabindex="-1"></div>
<div id="order" hidden>
  <dl class="details">
    <dt>Order number</dt><dd id="order-id"></dd>
    <dt>Placed</dt><dd id="order-placed"></dd>
    <dt>Status</dt><dd id="order-state"></dd>
    <dt>Shipping</dt><dd id="order-shipping"></dd>
    <dt>Estimated delivery</dt><dd id="order-delivery"></dd>
    <dt>Payment</dt><dd id="order-payment"></dd>
  </dl>
  <div id="cancel-box" class="actions" hidden>
    <button type="button" id="cancel-order">Cancel order</button>
    <div id="cancel-confirm" class="note" hidden>
      <p id="cancel-question"></p>
      <button type="button" id="cancel-yes">Yes, cancel the order</button>
      <button type="button" id="cancel-no" class="link">Keep the order</button>
    </div>
  </div>
  <section aria-labelledby="items-title">
    <h2 id="items-title">Items</h2>
    <table class="stack"><caption class="visually-hidden">Items of the order</caption>
      <thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Unit price</th><th scope="col">Line total</th></tr></thead>
      <tbody id="order-items"></tbody></table>
    <dl class="totals">
      <dt>Subtotal</dt><dd id="total-subtotal"></dd>
      <dt>Shipping</dt><dd id="total-shipping"></dd>
      <dt>Tax</dt><dd id="total-tax"></dd>
      <dt>Total</dt><dd id="total-total"></dd>
    </dl>
  </section>
  ${part('tracking', 'Tracking', html`<ul id="parcels" class="parcels"></ul>`)}
  <section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2><ol id="order-timeline" class="timeline"></ol></section>
  ${part('refunds', 'Refunds', html`<ul id="refund-list" class="lines"></ul>`)}
  ${part('returns', 'Returns', html`<ul id="return-list" class="lines"></ul>`)}
  ${part(
    'return-request',
    'Request a return',
    html`<p id="return-window" class="muted"></p>
  <form id="return-form" novalidate>
    <fieldset><legend>Units to send back</legend><div id="return-lines" class="fields"></div></fieldset>
    <label>Reason <select name="reason" required>
      <option value="">Choose a reason</option>
      <option>Too small</option><option>Too large</option><option>Not as described</option>
      <option>Arrived damaged</option><option>No longer needed</option>
    </select></label>
    <button type="submit">Request a return</button>
  </form>`,
  )}
</div>`,
  );
