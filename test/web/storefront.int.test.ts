import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccountsRepo } from '../../edge/accounts/repo.ts';
import { hashPassword } from '../../edge/auth/password.ts';
import { issueToken } from '../../edge/auth/tokens.ts';
import { addProducts, word } from '../catalog-fixtures.ts';
import { createTestDrop } from '../fixtures.ts';
import { startEngine, type Engine } from '../engine.ts';
import { expectAccessible, expectSmallScripts, launchBrowser, screenshots, soon, watchedPage } from './browser.ts';

let engine: Engine;
let browser: Browser;
const w = word(10);
const shopper = { email: `shopper-${w}@example.test`, password: `pw-${w}-secret` };
let ids: string[];

beforeAll(async () => {
  engine = await startEngine();
  browser = await launchBrowser();
  ids = await addProducts(engine.rt, engine.edge.services.catalog, [
    { title: `${w} trail runner`, brand: 'Northpeak', category_path: ['Outdoors', 'Footwear'], price_cents: 8_900, rating_avg: 4.5, rating_count: 20, sales_count: 50, stock: 40, description: 'Grippy and light.' },
    { title: `${w} road runner`, brand: 'Northpeak', category_path: ['Outdoors', 'Footwear'], price_cents: 12_000, rating_avg: 4.1, rating_count: 8, sales_count: 30, stock: 12 },
    { title: `${w} camp stove`, brand: 'Riverline', category_path: ['Outdoors', 'Camping'], price_cents: 4_500, sales_count: 10 },
    { title: `${w} water bottle`, brand: 'Riverline', category_path: ['Outdoors', 'Camping'], price_cents: 1_500, sales_count: 5 },
  ]);
  // A drop coming up in an hour, for the home page to show.
  await createTestDrop(engine.rt, { quantity: 50, starts_at: Date.now() + 3_600_000, topic: engine.names.topics.intents });
  // The shopper's account already holds a water bottle in its cart: after sign-in the guest's lines join it.
  const user_id = await createAccountsRepo(engine.rt.sql).createUser({
    email: shopper.email,
    name: 'Page Shopper',
    password_hash: await hashPassword(shopper.password),
    role: 'customer',
  });
  const token = await issueToken({ user_id, role: 'customer' }, engine.rt.config.JWT_SECRET, 3_600);
  const added = await engine.call('POST', '/api/v1/cart/items', token, { product_id: ids[3], quantity: 1 });
  expect(added.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await engine?.close();
});

it('lets a guest search, filter, add two products, sign in, see the merged cart, check out and find the order', async () => {
  const context = await browser.newContext({ baseURL: engine.edge.url, viewport: { width: 1280, height: 800 } });
  const w1 = await watchedPage(context);
  const { page } = w1;

  await page.goto('/');
  await expect.poll(() => page.getByRole('heading', { name: 'Bestsellers' }).isVisible(), soon).toBe(true);
  expect(await page.locator('.drop-card .badge').textContent()).toBe('Opens');
  expect(await page.locator('.drop-card').getByText('50 of 50 left').isVisible()).toBe(true);
  await expectAccessible(page);
  await screenshots(page, 'home');

  // Autocomplete as the shopper types, then the search itself.
  const box = page.getByRole('combobox', { name: 'Search' });
  await box.pressSequentially(w, { delay: 20 });
  await expect.poll(() => page.getByRole('option').count(), soon).toBeGreaterThan(0);
  expect(await page.getByRole('option').first().textContent()).toContain(w);
  // Arrows move through the suggestions; Escape closes them and keeps the words.
  await box.press('ArrowDown');
  expect(await box.getAttribute('aria-activedescendant')).toBe('suggestion-0');
  expect(await page.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
  await box.press('Escape');
  expect(await box.getAttribute('aria-expanded')).toBe('false');
  await box.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Results for “${w}”`);
  expect(await box.inputValue()).toBe(w);
  await expect.poll(() => page.locator('.count-line').textContent(), soon).toBe('1–4 of 4 products');
  await expectAccessible(page);
  await screenshots(page, 'search');

  // A filter (brand) and a sort, each applied as soon as it changes.
  await page.getByRole('checkbox', { name: /^Northpeak/ }).check();
  await page.waitForURL(/brand=Northpeak/);
  await expect.poll(() => page.locator('.count-line').textContent(), soon).toBe('1–2 of 2 products');
  await page.getByLabel('Sort by').selectOption('price_desc');
  await page.waitForURL(/sort=price_desc/);
  const titles = await page.locator('.card h3').allTextContents();
  expect(titles).toEqual([`${w} road runner`, `${w} trail runner`]);

  // Two products into the guest's cart.
  await page.getByRole('link', { name: `${w} road runner` }).click();
  await page.waitForURL(/\/products\//);
  // The delivery estimate for the browser's country (en-US), then for a country the guest picks, kept in the tab.
  const estimate = page.locator('#estimate');
  await expect.poll(() => estimate.textContent(), soon).toMatch(/^Standard delivery · \$29\.99 · arrives by .+ \(14 days\)Express delivery · \$59\.99 · arrives by .+ \(5 days\)$/);
  expect(await page.getByLabel('Deliver to').inputValue()).toBe('US');
  expect(await page.getByLabel('State or region').inputValue()).toBe(''); // elsewhere in the US
  await page.getByLabel('Deliver to').selectOption('DE');
  await expect.poll(() => page.getByLabel('State or region').isHidden(), soon).toBe(true);
  await expect.poll(() => estimate.textContent(), soon).toMatch(/^Standard delivery · \$29\.99/);
  await expectAccessible(page);
  await screenshots(page, 'product');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), soon).toMatch(/^Added to cart/);
  await page.goBack();
  await page.getByRole('link', { name: `${w} trail runner` }).click();
  await page.waitForURL(/\/products\//);
  await expect.poll(() => page.getByLabel('Deliver to').inputValue(), soon).toBe('DE');
  await page.getByLabel('Deliver to').selectOption('US');
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), soon).toMatch(/^Added to cart/);

  await page.goto('/cart');
  await expect.poll(() => page.locator('#cart-lines li').count(), soon).toBe(2);
  await expect.poll(() => page.locator('#cart-count').textContent(), soon).toBe(' (3)');

  // Signing in: a wrong password is a message; the right one merges the guest cart into the account's.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL(/\/signin\?next=%2Fcart/);
  await expectAccessible(page);
  await screenshots(page, 'signin');
  const signIn = page.locator('#sign-in');
  await signIn.getByLabel('Email').fill(shopper.email);
  await signIn.getByLabel('Password').fill('not-the-password');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent(), soon).toBe('email or password is wrong');
  await signIn.getByLabel('Password').fill(shopper.password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/cart$/);
  await expect.poll(() => page.locator('#cart-lines li').count(), soon).toBe(3);
  const lines: string[] = [];
  for (const li of await page.locator('#cart-lines li').all()) {
    lines.push(`${await li.getByRole('link').textContent()} × ${await li.getByRole('spinbutton').inputValue()}`);
  }
  lines.sort();
  expect(lines).toEqual([`${w} road runner × 1`, `${w} trail runner × 2`, `${w} water bottle × 1`].sort());
  expect(await page.locator('#cart-subtotal').textContent()).toBe('$313.00');
  await expect.poll(() => page.getByRole('link', { name: 'Sign in' }).isHidden(), soon).toBe(true);
  await expectAccessible(page);
  await screenshots(page, 'cart');

  // Checkout: a new address in Oregon, express shipping, the Visa test card, the review, the order.
  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.waitForURL(/\/checkout$/);
  await expect.poll(() => page.getByRole('heading', { name: '1. Shipping address' }).isVisible(), soon).toBe(true);
  expect(await page.locator('#hold').textContent()).toMatch(/^Your items are reserved until \d\d:\d\d \((9|10):\d\d left\)\.$/);
  expect(await page.getByRole('radio', { name: 'A new address' }).isChecked()).toBe(true);
  await expectAccessible(page);
  const address = page.locator('#address-form');
  await address.getByLabel('Full name').fill('Page Shopper');
  await address.getByLabel('Street and number').fill('1 Pine Street');
  await address.getByLabel('City').fill('Portland');
  await address.getByLabel('State or region code (optional)').fill('OR');
  await address.getByLabel('Postal code').fill('97201');
  await address.getByLabel('Country').selectOption('US');
  await address.getByRole('button', { name: 'Continue to shipping' }).click();
  // The products leave from one warehouse outside every zone: one parcel at the "world" rates.
  await expect.poll(() => page.getByRole('heading', { name: '2. Shipping' }).isVisible(), soon).toBe(true);
  expect(await page.getByRole('radio', { name: /^Standard: \$29\.99, arrives by .+ \(14 days\)$/ }).isChecked()).toBe(true);
  await page.getByRole('radio', { name: /^Express: \$59\.99/ }).check();
  await page.getByRole('button', { name: 'Continue to card' }).click();
  await expect.poll(() => page.getByRole('heading', { name: '3. Card' }).isVisible(), soon).toBe(true);
  await page.getByRole('radio', { name: 'Visa test card ending 4242' }).check();
  await page.getByRole('button', { name: 'Continue to review' }).click();
  await expect.poll(() => page.getByRole('heading', { name: '4. Review' }).isVisible(), soon).toBe(true);
  // $313.00 of goods, $59.99 express, 7.25 % tax of both ($27.04): $400.03.
  const totals = async () => Promise.all(['#sum-subtotal', '#sum-shipping', '#sum-tax', '#sum-total'].map((id) => page.locator(id).textContent()));
  await expect.poll(totals, soon).toEqual(['$313.00', '$59.99', '$27.04', '$400.03']);
  expect(await page.locator('#review-address').textContent()).toBe('Page Shopper, 1 Pine Street, Portland, OR, 97201, US');
  expect(await page.locator('#review-card').textContent()).toBe('Visa test card ending 4242');
  expect(await page.locator('.steps [aria-current="step"]').textContent()).toBe('Step 4: Review');
  await expectAccessible(page);
  await screenshots(page, 'checkout-review');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Thank you for your order' }).isVisible(), soon).toBe(true);
  const orderId = (await page.locator('#done-order').textContent())!;
  expect(await page.getByRole('status').textContent()).toBe(`Thank you! Your order ${orderId} is placed.`);
  expect(await page.locator('#done-total').textContent()).toBe('$400.03');
  await expect.poll(() => page.locator('#cart-count').textContent(), soon).toBe('');
  await expectAccessible(page);
  await screenshots(page, 'checkout-done');
  // A reload shows the confirmation again, and charges nothing more.
  await page.reload();
  await expect.poll(() => page.locator('#done-order').textContent(), soon).toBe(orderId);

  await page.getByRole('link', { name: 'See your order' }).click();
  await page.waitForURL(`**/orders/${orderId}`);
  await expect.poll(() => page.locator('#order-state').textContent(), soon).toBe('Paid');
  expect(await page.locator('#total-total').textContent()).toBe('$400.03');
  expect(await page.locator('#order-items tr').count()).toBe(3);
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.waitForURL(/\/orders$/);
  await expect.poll(() => page.locator('#orders-rows tr').count(), soon).toBe(1);
  expect(await page.locator('#orders-rows tr').first().innerText()).toContain(orderId);
  const [charged] = await engine.rt.sql<{ n: number }[]>`select count(*)::int as n from payments where order_id = ${orderId}`;
  expect(charged!.n).toBe(1);

  expect(w1.problems).toEqual([]);
  expectSmallScripts(w1);
  await context.close();
}, 180_000);

it('shows bad search parameters and unknown pages as messages', async () => {
  const context = await browser.newContext({ baseURL: engine.edge.url });
  const { page, problems } = await watchedPage(context);
  const bad = await page.goto('/search?q=x&price=cheap&sort=sideways');
  expect(bad?.status()).toBe(400);
  const alert = await page.getByRole('alert').textContent();
  expect(alert).toContain('price');
  expect(alert).toContain('sort');
  await expectAccessible(page);
  const missing = await page.goto('/products/00000000-0000-7000-8000-000000000000');
  expect(missing?.status()).toBe(404);
  expect(await page.getByRole('alert').textContent()).toContain('There is no such product.');
  expect((await page.goto('/nowhere'))?.status()).toBe(404);
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
