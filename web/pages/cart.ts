import { html } from 'hono/html';
import { layout, type Markup } from '../layout.ts';

/**
 * The cart: drawn in the browser from GET /api/v1/cart (cart.js), since whose cart it is lives there (the guest's
 * HttpOnly cookie, or the signed-in shopper's token). "Checkout" leads to the checkout, through a sign-in for a
 * guest (the sign-in merges the guest cart).
 */
export const cartPage = (): Markup =>
  layout(
    { title: 'Cart', script: 'cart.js' },
    html`<h1>Your cart</h1>
<p id="cart-status" role="status" class="message">Loading your cart…</p>
<div id="cart-errors" role="alert" class="message error"></div>
<div class="cart-layout">
  <ul id="cart-lines" class="lines" aria-label="Items in your cart"></ul>
  <aside class="cart-summary" aria-labelledby="summary-title">
    <h2 id="summary-title">Summary</h2>
    <p>Items: <span id="cart-items">0</span></p>
    <p>Subtotal: <strong id="cart-subtotal">–</strong></p>
    <button type="button" id="checkout" disabled aria-describedby="checkout-note">Checkout</button>
    <p id="checkout-note" class="muted"></p>
  </aside>
</div>`,
  );
