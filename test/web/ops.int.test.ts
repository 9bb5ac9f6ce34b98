import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import { createTestUsers } from '../fixtures.ts';
import { signedIn } from '../helpers.ts';
import { word } from '../catalog-fixtures.ts';
import { settledAudit, type Engine } from '../engine.ts';
import { engineAndBrowserForFile, expectAccessible, expectSmallScripts, screenshots, soon, watchedPage } from './browser.ts';
import { signInContext } from './shopper.ts';

let engine: Engine;
let browser: Browser;
engineAndBrowserForFile((started) => ({ engine, browser } = started));

it('lets an admin create a product, stock and a drop, and watch its live panel while it sells out', async () => {
  const admin = await signedIn(engine.rt, 'admin');
  const context = await browser.newContext({ baseURL: engine.edge.url, viewport: { width: 1280, height: 800 } });
  await signInContext(context, { ...admin, role: 'admin' });
  const watched = await watchedPage(context);
  const { page } = watched;
  const w = word(8);

  await page.goto('/ops');
  await expect.poll(() => page.getByRole('heading', { name: 'Drops' }).isVisible(), soon).toBe(true);

  const product = page.locator('#create-product');
  await product.getByLabel('SKU').fill(`OPS-${w}`);
  await product.getByLabel('Title').fill(`${w} limited jacket`);
  await product.getByLabel('Price').fill('149.50');
  await product.getByRole('button', { name: 'Create product' }).click();
  await expect.poll(() => page.locator('#product-message').textContent(), soon).toBe(`Created ${w} limited jacket.`);

  const warehouse = page.locator('#create-warehouse');
  await warehouse.getByLabel('Name').fill(`ops-${w}`);
  await warehouse.getByLabel('Region').fill('eu-west');
  await warehouse.getByRole('button', { name: 'Add warehouse' }).click();
  await expect.poll(() => page.locator('#inventory-message').textContent(), soon).toBe(`Added the warehouse ops-${w}.`);
  const stock = page.locator('#set-inventory');
  await stock.getByLabel('Product').selectOption({ label: `${w} limited jacket` });
  await stock.getByLabel('Warehouse').selectOption({ label: `ops-${w} (eu-west)` });
  await stock.getByLabel('Units for sale').fill('10');
  await stock.getByRole('button', { name: 'Set stock' }).click();
  await expect.poll(() => page.locator('#inventory-message').textContent(), soon).toBe('Stock set: 10 units for sale.');

  // A drop of all 10 units that opens now (the minute already begun).
  const drop = page.locator('#create-drop');
  await drop.getByLabel('Product').selectOption({ label: `${w} limited jacket` });
  await drop.getByLabel('Units').fill('10');
  const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await drop.getByLabel('Opens at').fill(now);
  await drop.getByRole('button', { name: 'Create drop' }).click();
  await expect.poll(() => page.locator('#drop-message').textContent(), soon).toMatch(/^Drop created: 10 units/);
  const panel = page.getByRole('region', { name: `Drop of ${w} limited jacket` });
  await expect.poll(() => panel.getAttribute('data-remaining'), soon).toBe('10');
  const dropId = (await panel.getByRole('link').getAttribute('href'))!.split('/').at(-1)!;

  // 15 shoppers join with a card and an address, in three waves: the panel shows each wave's purchases, and
  // after the last, 10 bought and 5 were told it sold out.
  const shoppers = await createTestUsers(engine.rt, 15);
  const statuses: number[] = [];
  for (const [wave, bought] of [[0, 5], [1, 10], [2, 10]] as const) {
    const joins = await Promise.all(
      shoppers.slice(wave * 5, wave * 5 + 5).map(async (u) =>
        engine.call('POST', `/api/v1/drops/${dropId}/intents`, await engine.tokenFor(u.user_id), {
          payment_method_id: 'pm_card_visa',
          shipping_address_id: u.address_id,
        }),
      ),
    );
    statuses.push(...joins.map((j) => j.status));
    await expect.poll(() => panel.getAttribute('data-purchased'), { timeout: 60_000, interval: 100 }).toBe(String(bought));
    expect(await panel.getAttribute('data-remaining')).toBe(String(10 - bought));
  }
  expect(statuses.filter((s) => s === 202)).toHaveLength(10);
  expect(statuses.filter((s) => s === 202 || s === 410)).toHaveLength(15);
  await expect.poll(() => panel.locator('.badge').textContent(), soon).toBe('sold out');
  const figure = (name: string) => panel.locator('.figure').filter({ hasText: name }).locator('dd').textContent();
  expect(await figure('Remaining')).toBe('0');
  expect(await figure('Purchases')).toBe('10');
  expect(await figure('Joins/s')).toMatch(/^\d+\.\d$/);
  expect(await panel.locator('polyline').count()).toBe(8);

  // The audit, once the drop has settled.
  expect((await settledAudit(engine, dropId)).violations).toEqual([]);
  await panel.getByRole('button', { name: /^Run audit/ }).click();
  await expect.poll(() => panel.getByRole('status').textContent(), { ...soon, timeout: 60_000 }).toMatch(/no violation \(10 purchased of 10, settled\)/);

  await expectAccessible(page);
  await screenshots(page, 'ops');
  expect(watched.problems).toEqual([]);
  expectSmallScripts(watched);
  await context.close();
}, 240_000);

it('tells a shopper that the dashboard is for admins', async () => {
  const customer = await signedIn(engine.rt);
  const context = await browser.newContext({ baseURL: engine.edge.url });
  await signInContext(context, customer);
  const { page, problems } = await watchedPage(context);
  await page.goto('/ops');
  await expect.poll(() => page.getByText('This dashboard is for admins.').isVisible(), soon).toBe(true);
  expect(await page.locator('#ops').isHidden()).toBe(true);
  await expectAccessible(page);
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
