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

it('lets a guest search, filter, add two products, sign in and see the merged cart', async () => {
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
  await expectAccessible(page);
  await screenshots(page, 'product');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), soon).toMatch(/^Added to cart/);
  await page.goBack();
  await page.getByRole('link', { name: `${w} trail runner` }).click();
  await page.waitForURL(/\/products\//);
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

  expect(w1.problems).toEqual([]);
  expectSmallScripts(w1);
  await context.close();
}, 120_000);

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
