import { html } from 'hono/html';
import { cardOptions } from '../cards.ts';
import { productPage, type WebDeps } from '../deps.ts';
import { formatMoney, formatUtc } from '../format.ts';
import { layout, type Markup } from '../layout.ts';
import { art } from '../tiles.ts';

const STATUS_TEXT = {
  scheduled: 'Coming up',
  open: 'Open now',
  sold_out: 'Sold out',
  ended: 'Ended',
} as const;

/**
 * A drop: its product and price, a countdown to the opening, the join form (card and address), and the waiting
 * room that drop.js runs over the WebSocket: position, estimated wait, progress, stock left, and the outcome.
 */
export async function dropPage(deps: WebDeps, dropId: string): Promise<Markup> {
  const drop = await deps.drops.get(dropId);
  const product = await productPage(deps.storefront, drop.product_id);
  const title = product?.title ?? 'Drop';
  return layout(
    {
      title: `${title} drop`,
      script: 'drop.js',
      data: { drop: drop.drop_id, 'starts-at': drop.starts_at, status: drop.status },
    },
    html`<article class="drop">
  ${art(drop.product_id, title, 'large')}
  <div class="summary">
    <p class="eyebrow">Drop</p>
    <h1>${title}</h1>
    <p class="price big">${formatMoney(drop.price.amount_cents, drop.price.currency)}</p>
    <p><span class="badge badge-${drop.status}" id="drop-status">${STATUS_TEXT[drop.status]}</span>
      ${drop.status === 'scheduled' ? 'Opens' : 'Opened'} <time datetime="${drop.starts_at}">${formatUtc(drop.starts_at)}</time></p>
    <p id="countdown" class="countdown" aria-live="off"></p>
    <p>Stock left: <strong id="remaining">${drop.remaining}</strong> of ${drop.quantity}</p>
    <p class="muted">${drop.per_user_limit === 1 ? 'One unit' : `Up to ${drop.per_user_limit} units`} per shopper. Joining before
      the opening puts you in the pre-queue: places are drawn at random when the drop opens.</p>
  </div>
</article>
<section id="join-section" aria-labelledby="join-title" class="panel">
  <h2 id="join-title">Join</h2>
  <p id="join-signin" hidden><a href="/signin?next=/drops/${drop.drop_id}">Sign in</a> to join the drop.</p>
  <form id="join" hidden>
    <label>Card <select name="card">${cardOptions()}</select></label>
    <label>Ship to <select name="address" id="address-select"></select></label>
    <fieldset id="new-address" hidden>
      <legend>New shipping address</legend>
      <label>Full name <input name="name" autocomplete="name"></label>
      <label>Street <input name="line1" autocomplete="address-line1"></label>
      <label>City <input name="city" autocomplete="address-level2"></label>
      <label>Postal code <input name="postal_code" autocomplete="postal-code"></label>
      <label>Country code <input name="country" autocomplete="country" value="US" maxlength="2"></label>
    </fieldset>
    <button type="submit">Join the drop</button>
  </form>
  <div id="join-errors" role="alert" class="message error"></div>
</section>
<section id="room" aria-labelledby="room-title" class="panel" hidden>
  <h2 id="room-title">Waiting room</h2>
  <p id="room-status" role="status" class="room-status"></p>
  <p id="room-eta" class="muted"></p>
  <progress id="room-progress" max="100" value="0" aria-label="Progress through the line"></progress>
  <p id="room-link" class="message"></p>
  <form id="retry" hidden>
    <label>Another card <select name="card">${cardOptions()}</select></label>
    <button type="submit">Pay again</button>
  </form>
</section>`,
  );
}
