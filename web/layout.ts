import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** Markup a page puts inside the layout (hono's `html` template: every interpolated value is escaped). */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageOptions {
  title: string;
  /** The page's own script from web/assets (an ES module), besides common.js which every page loads. */
  script?: string;
  /** The search box's text (the search page keeps the shopper's words in it). */
  query?: string;
  /** Extra attributes of <main> as data-* values the page's script reads (ids, dates): never a token. */
  data?: Record<string, string>;
}

const dataAttributes = (data: Record<string, string>) =>
  Object.entries(data).map(([k, v]) => html` data-${raw(k.replace(/[^a-z-]/g, ''))}="${v}"`);

/**
 * The shell of every page: a skip link, the header with the labelled search box (autocomplete comes from
 * common.js), the cart, orders and sign-in links (filled in for the signed-in shopper by common.js), the page's content in
 * <main>, and the scripts, all served by the edge from /assets.
 */
export function layout(o: PageOptions, content: Markup): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · flashline</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="data:,">
<script type="module" src="/assets/common.js"></script>
${o.script === undefined ? '' : html`<script type="module" src="/assets/${o.script}"></script>`}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">flashline</a>
  <form class="search" role="search" action="/search" method="get" autocomplete="off">
    <div class="combo">
      <input id="search-box" type="search" name="q" aria-label="Search" placeholder="Search products" value="${o.query ?? ''}"
        role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="search-suggestions" maxlength="200">
      <ul id="search-suggestions" role="listbox" aria-label="Suggestions" hidden></ul>
    </div>
    <button type="submit">Search</button>
  </form>
  <nav aria-label="Account">
    <a href="/cart" id="cart-link">Cart<span id="cart-count" class="count"></span></a>
    <a href="/orders" id="orders-link" hidden>Orders</a>
    <a href="/signin" id="account-link">Sign in</a>
    <a href="/ops" id="ops-link" hidden>Ops</a>
    <button type="button" id="sign-out" class="link" hidden>Sign out</button>
  </nav>
</header>
<main id="main" tabindex="-1"${dataAttributes(o.data ?? {})}>
${content}
</main>
<footer class="bottom"><p>flashline · test shop: payments use test cards only</p></footer>
</body>
</html>`;
}
