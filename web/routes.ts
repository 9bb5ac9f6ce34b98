import { Hono, type Context } from 'hono';
import { isId } from '../contracts/index.ts';
import { AppError } from '../platform/index.ts';
import { loadAssets, serveAsset } from './assets.ts';
import type { WebDeps } from './deps.ts';
import { destinations } from './destinations.ts';
import type { Markup } from './layout.ts';
import { cartPage } from './pages/cart.ts';
import { checkoutPage } from './pages/checkout.ts';
import { dropPage } from './pages/drop.ts';
import { homePage } from './pages/home.ts';
import { opsPage } from './pages/ops.ts';
import { orderPage } from './pages/order.ts';
import { ordersPage } from './pages/orders.ts';
import { productPageView } from './pages/product.ts';
import { searchPage } from './pages/search.ts';
import { signInPage } from './pages/signin.ts';

/**
 * What a page may load and talk to: only the edge itself (scripts, styles, the API) and the waiting room's
 * WebSocket on its own port; no inline script, no framing.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const send = async (c: Context, page: Markup | Promise<Markup>) => {
  c.header('Content-Security-Policy', CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  return c.html(await page);
};

/** A path id that is not a UUID names no page: not_found, like an unknown one. */
const pageId = (c: Context, name: string, what: string): string => {
  const id = c.req.param(name) ?? '';
  if (!isId(id)) throw new AppError('not_found', `There is no such ${what}.`);
  return id.toLowerCase();
};

/**
 * The pages of the shop and the ops dashboard, and their assets. Pages read the storefront, the drops and the
 * shipping zones on the server; what belongs to a shopper (cart, sign-in, checkout, waiting room, orders, delivery
 * estimates, the admin's data) their scripts fetch from the public API. Errors are thrown as AppError for the edge
 * to answer as a page.
 */
export function webRoutes(deps: WebDeps) {
  const assets = loadAssets();
  const places = destinations(deps.zones);
  return new Hono()
    .get('/', (c) => send(c, homePage(deps)))
    .get('/search', (c) => send(c, searchPage(deps, c.req.queries())))
    .get('/products/:product_id', (c) => send(c, productPageView(deps, places, pageId(c, 'product_id', 'product'))))
    .get('/cart', (c) => send(c, cartPage()))
    .get('/checkout', (c) => send(c, checkoutPage(places)))
    .get('/signin', (c) => send(c, signInPage()))
    .get('/drops/:drop_id', (c) => send(c, dropPage(deps, pageId(c, 'drop_id', 'drop'))))
    .get('/orders', (c) => send(c, ordersPage()))
    .get('/orders/:order_id', (c) => send(c, orderPage(pageId(c, 'order_id', 'order'))))
    .get('/ops', (c) => send(c, opsPage()))
    .get('/assets/:name', (c) => {
      const res = serveAsset(c, assets, c.req.param('name'));
      if (res === undefined) throw new AppError('not_found', 'There is no such file.');
      return res;
    });
}
