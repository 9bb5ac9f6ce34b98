import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccountsRepo } from '../../edge/accounts/repo.ts';
import { hashPassword } from '../../edge/auth/password.ts';
import { word } from '../catalog-fixtures.ts';
import { stockedProduct, warehousesIn } from '../checkout-fixtures.ts';
import { startEngine, type Engine } from '../engine.ts';
import { expectAccessible, expectSmallScripts, launchBrowser, screenshots, soon, watchedPage, type Watched } from './browser.ts';
import { signInContext } from './shopper.ts';

let engine: Engine;
let browser: Browser;
let warehouse: string;

beforeAll(async () => {
  engine = await startEngine();
  browser = await launchBrowser();
  warehouse = (await warehousesIn(engine.rt, ['us-east']))[0]!;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await engine?.close();
});

/** A shopper with a password and an address in New York (the warehouse's own zone: $4.99 standard shipping). */
async function newShopper() {
  const w = word(10);
  const email = `checkout-${w}@example.test`;
  const password = `pw-${w}-secret`;
  const user_id = await createAccountsRepo(engine.rt.sql).createUser({ email, name: 'Checkout Shopper', password_hash: await hashPassword(password), role: 'customer' });
  const token = await engine.tokenFor(user_id);
  const address = { name: 'Checkout Shopper', line1: '5 Main Street', city: 'New York', region: 'NY', postal_code: '10001', country: 'US' };
  expect((await engine.call('POST', '/api/v1/me/addresses', token, address)).status).toBe(201);
  return { user_id, token, email, password };
}

/** A product of $25.00 with 10 units in the New York warehouse, and its title. */
async function product() {
  const id = await stockedProduct(engine.rt, [warehouse], [10], { price_cents: 2_500, quiet: true });
  const [p] = await engine.rt.sql<{ title: string }[]>`select title from products where product_id = ${id}`;
  return { id, title: p!.title };
}

/** A signed-in shopper's page with `quantity` units of a new product in the cart. */
async function signedInWithCart(quantity: number) {
  const shopper = await newShopper();
  const p = await product();
  expect((await engine.call('POST', '/api/v1/cart/items', shopper.token, { product_id: p.id, quantity })).status).toBe(200);
  const context = await browser.newContext({ baseURL: engine.edge.url, viewport: { width: 1280, height: 800 } });
  await signInContext(context, shopper);
  const watched = await watchedPage(context);
  return { shopper, p, context, watched, page: watched.page };
}

const heading = (page: Page, name: string) => expect.poll(() => page.getByRole('heading', { name }).isVisible(), soon).toBe(true);
const sql = () => engine.rt.sql;

/** From the address step (the shopper's address chosen) through standard shipping and `card` to the review. */
async function toReview(page: Page, card: string) {
  await heading(page, '1. Shipping address');
  expect(await page.getByRole('radio', { name: /^Checkout Shopper, 5 Main Street, New York, NY/ }).isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Continue to shipping' }).click();
  await heading(page, '2. Shipping');
  await page.getByRole('button', { name: 'Continue to card' }).click();
  await heading(page, '3. Card');
  await page.getByRole('radio', { name: card }).check();
  await page.getByRole('button', { name: 'Continue to review' }).click();
  await heading(page, '4. Review');
}

const checkoutsOf = (userId: string) =>
  sql()<{ checkout_id: string; status: string }[]>`select checkout_id, status from checkouts where user_id = ${userId} order by created_at`;

async function finish(w: Watched, context: BrowserContext) {
  expect(w.problems).toEqual([]);
  expectSmallScripts(w);
  await context.close();
}

it('signs a guest in from the cart, shows a declined card and keeps the cart and the reservation, then pays with another card', async () => {
  const shopper = await newShopper();
  const p = await product();
  const context = await browser.newContext({ baseURL: engine.edge.url, viewport: { width: 1280, height: 800 } });
  const w = await watchedPage(context);
  const { page } = w;
  await page.goto(`/products/${p.id}`);
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), soon).toMatch(/^Added to cart/);
  await page.goto('/cart');
  await expect.poll(() => page.getByRole('button', { name: 'Checkout', exact: true }).isEnabled(), soon).toBe(true);
  expect(await page.locator('#checkout-note').textContent()).toBe('You sign in or create an account first; your cart comes with you.');
  await page.getByRole('button', { name: 'Checkout', exact: true }).click();
  await page.waitForURL(/\/signin\?next=%2Fcheckout$/);
  const signIn = page.locator('#sign-in');
  await signIn.getByLabel('Email').fill(shopper.email);
  await signIn.getByLabel('Password').fill(shopper.password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/checkout$/);

  await toReview(page, 'Test card that is declined');
  // Two units at $25.00, $4.99 shipping within the zone, 7.25 % tax of both ($3.99).
  await expect.poll(() => page.locator('#sum-total').textContent(), soon).toBe('$58.98');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(() => page.getByRole('alert').textContent(), soon).toMatch(/^The card was declined\. Nothing was charged, and your items stay reserved until \d\d:\d\d: choose another card\.$/);
  expect(await page.getByRole('heading', { name: '3. Card' }).isVisible()).toBe(true);
  expect(await page.locator('#hold').isVisible()).toBe(true);
  await expectAccessible(page);
  await screenshots(page, 'checkout-declined');
  const [open] = await checkoutsOf(shopper.user_id);
  expect(open!.status).toBe('open');
  const [held] = await sql()<{ reserved: number }[]>`select reserved_count as reserved from inventory where product_id = ${p.id}`;
  expect(held!.reserved).toBe(2);
  const cart = await engine.call('GET', '/api/v1/cart', shopper.token);
  expect(cart.body.items).toMatchObject([{ product_id: p.id, quantity: 2 }]);

  await page.getByRole('radio', { name: 'Mastercard test card ending 4444' }).check();
  await page.getByRole('button', { name: 'Continue to review' }).click();
  await heading(page, '4. Review');
  expect(await page.locator('#review-card').textContent()).toBe('Mastercard test card ending 4444');
  await page.getByRole('button', { name: 'Place order' }).dblclick(); // a double click pays once
  await heading(page, 'Thank you for your order');
  const orderId = (await page.locator('#done-order').textContent())!;
  const payments = await sql()<{ status: string }[]>`select status from payments where checkout_id = ${open!.checkout_id} order by created_at`;
  expect(payments.map((x) => x.status)).toEqual(['failed', 'succeeded']);
  const [order] = await sql()<{ total: number }[]>`select total_cents::int as total from orders where order_id = ${orderId}`;
  expect(order!.total).toBe(5_898);
  await finish(w, context);
}, 120_000);

it('shows a total that moved with its differences, and places the order at the total the shopper accepts', async () => {
  const { shopper, p, context, watched, page } = await signedInWithCart(2);
  await page.goto('/checkout');
  await toReview(page, 'Visa test card ending 4242');
  await expect.poll(() => page.locator('#sum-total').textContent(), soon).toBe('$58.98');
  await sql()`update products set price_cents = 3000 where product_id = ${p.id}`;
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(() => page.getByRole('alert').textContent(), soon).toBe('The total has changed: see the differences below.');
  expect(await page.locator('#moved-text').textContent()).toBe('The total changed from $58.98 to $69.70 since it was shown. Nothing was charged.');
  expect(await page.locator('#moved-list li').allTextContents()).toEqual([`${p.title}: $25.00 → $30.00 each`, 'Tax: $3.99 → $4.71']);
  expect(await page.getByRole('button', { name: 'Place order' }).isDisabled()).toBe(true);
  expect(await sql()`select 1 from payments where user_id = ${shopper.user_id}`).toHaveLength(0);
  await expectAccessible(page);
  await screenshots(page, 'checkout-total-moved');

  await page.getByRole('button', { name: 'Accept the new total of $69.70' }).click();
  await expect.poll(() => page.locator('#sum-total').textContent(), soon).toBe('$69.70');
  expect(await page.getByRole('status').textContent()).toBe('The new total is $69.70. Place the order when you are ready.');
  await page.getByRole('button', { name: 'Place order' }).click();
  await heading(page, 'Thank you for your order');
  expect(await page.locator('#done-total').textContent()).toBe('$69.70');
  await finish(watched, context);
}, 120_000);

it('says when a checkout expired and starts a new one for the same cart', async () => {
  const { shopper, context, watched, page } = await signedInWithCart(1);
  await page.goto('/checkout');
  await heading(page, '1. Shipping address');
  const [first] = await checkoutsOf(shopper.user_id);
  await sql()`update checkouts set expires_at = now() - interval '1 second' where checkout_id = ${first!.checkout_id}`;
  // The order worker's sweeper expires it and puts its units back on sale; the page learns it from its next request.
  await expect.poll(async () => (await checkoutsOf(shopper.user_id)).map((c) => c.status), soon).toEqual(['expired']);
  await page.getByRole('button', { name: 'Continue to shipping' }).click();
  await heading(page, 'This checkout has ended');
  expect(await page.locator('#gone-text').textContent()).toMatch(/^This checkout expired/);
  expect(await page.locator('#hold').isHidden()).toBe(true);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Start again' }).click();
  await heading(page, '1. Shipping address');
  await expect.poll(() => page.locator('#hold').textContent(), soon).toMatch(/\((9|10):\d\d left\)/);
  await expect.poll(async () => (await checkoutsOf(shopper.user_id)).map((c) => c.status), soon).toEqual(['expired', 'open']);
  await finish(watched, context);
}, 120_000);

it('estimates delivery on a product page for the signed-in shopper’s latest address, by region where zones split the country', async () => {
  const shopper = await newShopper(); // New York first, then Portland, Oregon (the us-west zone)
  const portland = { name: 'Checkout Shopper', line1: '1 Pine Street', city: 'Portland', region: 'OR', postal_code: '97201', country: 'US' };
  expect((await engine.call('POST', '/api/v1/me/addresses', shopper.token, portland)).status).toBe(201);
  const p = await product();
  const context = await browser.newContext({ baseURL: engine.edge.url, viewport: { width: 1280, height: 800 } });
  await signInContext(context, shopper);
  const w = await watchedPage(context);
  const { page } = w;
  await page.goto(`/products/${p.id}`);
  // The New York warehouse ships to Oregon from another zone of the country; elsewhere in the US, within its zone.
  const estimate = page.locator('#estimate');
  await expect.poll(() => estimate.textContent(), soon).toMatch(/^Standard delivery · \$7\.99 · arrives by .+ \(5 days\)Express/);
  expect(await page.getByLabel('Deliver to').inputValue()).toBe('US');
  expect(await page.getByLabel('State or region').inputValue()).toBe('OR');
  await page.getByLabel('State or region').selectOption({ label: 'Elsewhere in United States' });
  await expect.poll(() => estimate.textContent(), soon).toMatch(/^Standard delivery · \$4\.99 · arrives by .+ \(3 days\)Express/);
  await finish(w, context);
}, 60_000);
