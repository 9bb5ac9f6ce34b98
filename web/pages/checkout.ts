import { html } from 'hono/html';
import { cardRadios } from '../cards.ts';
import { countryOptions, type Destination } from '../destinations.ts';
import { layout, type Markup } from '../layout.ts';

const STEPS = [
  { id: 'address', label: 'Address' },
  { id: 'shipping', label: 'Shipping' },
  { id: 'card', label: 'Card' },
  { id: 'review', label: 'Review' },
] as const;

/** A step's section: a numbered heading the script moves the focus to, and its content. */
const step = (i: number, title: string, content: Markup): Markup => {
  const id = STEPS[i]!.id;
  return html`<section id="step-${id}" class="panel step" aria-labelledby="${id}-title" hidden>
  <h2 id="${id}-title" tabindex="-1">${i + 1}. ${title}</h2>
  ${content}
</section>`;
};

const addressStep = (places: Destination[]): Markup =>
  step(
    0,
    'Shipping address',
    html`<form id="address-form" novalidate>
    <fieldset><legend>Ship to</legend><div id="address-choices"></div></fieldset>
    <fieldset id="new-address" class="fields" hidden>
      <legend>New address</legend>
      <label>Full name <input name="name" autocomplete="name" maxlength="200"></label>
      <label>Street and number <input name="line1" autocomplete="address-line1" maxlength="200"></label>
      <label>Apartment, floor (optional) <input name="line2" autocomplete="address-line2" maxlength="200"></label>
      <label>City <input name="city" autocomplete="address-level2" maxlength="100"></label>
      <label>State or region code (optional) <input name="region" autocomplete="address-level1" maxlength="100"
        aria-describedby="region-hint"></label>
      <p id="region-hint" class="muted">Such as CA for California.</p>
      <label>Postal code <input name="postal_code" autocomplete="postal-code" maxlength="20"></label>
      <label>Country <select name="country" autocomplete="country">${countryOptions(places)}</select></label>
    </fieldset>
    <button type="submit">Continue to shipping</button>
  </form>`,
  );

const shippingStep = (): Markup =>
  step(
    1,
    'Shipping',
    html`<form id="shipping-form">
    <fieldset><legend>Shipping option</legend><div id="shipping-choices"></div></fieldset>
    <div class="actions"><button type="submit">Continue to card</button>
      <button type="button" class="link" data-goto="address">Back to the address</button></div>
  </form>`,
  );

const cardStep = (): Markup =>
  step(
    2,
    'Card',
    html`<form id="card-form">
    <fieldset><legend>Pay with</legend>${cardRadios()}</fieldset>
    <p class="muted">This shop takes test cards only; nothing real is charged.</p>
    <div class="actions"><button type="submit">Continue to review</button>
      <button type="button" class="link" data-goto="shipping">Back to shipping</button></div>
  </form>`,
  );

const reviewStep = (): Markup =>
  step(
    3,
    'Review',
    html`<dl class="details">
    <dt>Ship to</dt><dd><span id="review-address"></span> <button type="button" class="link" data-goto="address" aria-label="Change the address">Change</button></dd>
    <dt>Shipping</dt><dd><span id="review-shipping"></span> <button type="button" class="link" data-goto="shipping" aria-label="Change the shipping option">Change</button></dd>
    <dt>Estimated delivery</dt><dd id="review-delivery"></dd>
    <dt>Card</dt><dd><span id="review-card"></span> <button type="button" class="link" data-goto="card" aria-label="Change the card">Change</button></dd>
  </dl>
  <div id="total-moved" class="note" hidden>
    <p id="moved-text"></p>
    <ul id="moved-list"></ul>
    <button type="button" id="accept-total">Accept the new total</button>
  </div>
  <button type="button" id="place-order" class="primary">Place order</button>`,
  );

/**
 * The multi-step checkout of the signed-in shopper's cart: address, shipping option, card, review with every total,
 * then the confirmation; the order summary and the time the items stay reserved beside it. checkout.js drives it
 * through the checkout API and keeps the checkout and the payment attempt's Idempotency-Key in the tab.
 */
export const checkoutPage = (places: Destination[]): Markup =>
  layout(
    { title: 'Checkout', script: 'checkout.js' },
    html`<h1>Checkout</h1>
<p id="checkout-status" role="status" class="message">Loading your checkout…</p>
<div id="checkout-errors" role="alert" class="message error" tabindex="-1"></div>
<p id="hold" class="hold" hidden>Your items are reserved until <time id="hold-until"></time> (<span id="hold-left"></span> left).</p>
<nav aria-label="Checkout steps" id="steps-nav" hidden><ol class="steps">${STEPS.map(
      (s, i) => html`<li data-step="${s.id}"><span class="visually-hidden">Step ${i + 1}: </span>${s.label}</li>`,
    )}</ol></nav>
<div class="checkout-layout">
  <div>
    ${addressStep(places)}
    ${shippingStep()}
    ${cardStep()}
    ${reviewStep()}
    <section id="step-done" class="panel" aria-labelledby="done-title" hidden>
      <h2 id="done-title" tabindex="-1">Thank you for your order</h2>
      <dl class="details">
        <dt>Order number</dt><dd id="done-order"></dd>
        <dt>Total</dt><dd id="done-total"></dd>
        <dt>Estimated delivery</dt><dd id="done-delivery"></dd>
      </dl>
      <p><a id="done-link" href="/orders">See your order</a> · <a href="/orders">All your orders</a></p>
    </section>
    <section id="step-gone" class="panel" aria-labelledby="gone-title" hidden>
      <h2 id="gone-title" tabindex="-1">This checkout has ended</h2>
      <p id="gone-text"></p>
      <button type="button" id="start-again">Start again</button> <a href="/cart">Back to the cart</a>
    </section>
  </div>
  <aside class="cart-summary" aria-labelledby="summary-title" id="summary" hidden>
    <h2 id="summary-title">Order summary</h2>
    <ul id="summary-lines" class="lines"></ul>
    <dl class="totals">
      <dt>Subtotal</dt><dd id="sum-subtotal"></dd>
      <dt>Shipping</dt><dd id="sum-shipping"></dd>
      <dt>Tax</dt><dd id="sum-tax"></dd>
      <dt>Total</dt><dd id="sum-total"></dd>
    </dl>
  </aside>
</div>`,
  );
