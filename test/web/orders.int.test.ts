import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFulfillment, type Fulfillment } from '../../fulfillment/index.ts';
import { loadConfig } from '../../platform/config.ts';
import { createRuntime, type Runtime } from '../../platform/runtime.ts';
import { startEngine, type Engine } from '../engine.ts';
import { signedIn, stripeAt, tag } from '../helpers.ts';
import { createPaidOrder, type FixtureLine, type FixtureOrder } from '../order-fixtures.ts';
import { expectAccessible, expectSmallScripts, launchBrowser, screenshots, soon, watchedPage } from './browser.ts';
import { signInContext } from './shopper.ts';

let engine: Engine;
let browser: Browser;
/** Fulfillment at real time: labels are made at once, parcels leave only when an admin marks them. */
let slow: Runtime;
let fulfillment: Fulfillment;

beforeAll(async () => {
  engine = await startEngine();
  browser = await launchBrowser();
  slow = createRuntime(loadConfig({ ...process.env, STRIPE_API_BASE: engine.stripe.url, FULFILLMENT_SPEEDUP: '1' }));
  fulfillment = await startFulfillment(slow, {
    topic: engine.names.topics.orderEvents,
    groupId: `test-fulfillment-${tag()}`,
    deadLetterTopic: engine.names.topics.deadLetters,
  });
  await fulfillment.ready;
}, 120_000);

afterAll(async () => {
  await fulfillment?.closer.close();
  await slow?.redis.quit();
  await slow?.sql.end();
  await browser?.close();
  await engine?.close();
});

/** A paid cart order of the shopper (its events relayed by the engine's order worker to fulfillment). */
const paidOrder = (user: { user_id: string; token: string }, o: { lines?: FixtureLine[] } = {}) =>
  createPaidOrder(engine.rt, stripeAt(engine.stripe.url), { topic: engine.names.topics.orderEvents, user, ...o });

const parcelsOf = (orderId: string) =>
  engine.rt.sql<{ shipment_id: string; tracking_number: string; tracking_url: string; carrier: string; status: string }[]>`
    select shipment_id, tracking_number, tracking_url, carrier, status from shipments where order_id = ${orderId} order by created_at, shipment_id`;

async function shopperPage(user: { user_id: string; token: string }) {
  const context = await browser.newContext({ baseURL: engine.edge.url, viewport: { width: 1280, height: 800 } });
  await signInContext(context, user);
  const watched = await watchedPage(context);
  return { context, watched, page: watched.page };
}

it('lists the shopper’s orders newest first, a page at a time', async () => {
  const user = await signedIn(engine.rt);
  const orders: FixtureOrder[] = [];
  for (let i = 0; i < 22; i++) orders.push(await paidOrder(user));
  await paidOrder(await signedIn(engine.rt)); // someone else's
  const { context, watched, page } = await shopperPage(user);

  await page.goto('/orders');
  await expect.poll(() => page.locator('#orders-rows tr').count(), soon).toBe(20);
  const newest = orders.map((o) => o.order_id).reverse();
  expect(await page.locator('#orders-rows .order-number').allTextContents()).toEqual(newest.slice(0, 20));
  expect(await page.getByRole('status').textContent()).toBe('20 orders on this page.');
  expect(await page.locator('#orders-rows tr').first().innerText()).toMatch(/Paid\s+1\s+\$32\.50/);
  expect(await page.getByRole('link', { name: 'Newest orders' }).isHidden()).toBe(true);
  await expectAccessible(page);
  await screenshots(page, 'orders');

  await page.getByRole('link', { name: 'Older orders' }).click();
  await page.waitForURL(/\/orders\?cursor=/);
  await expect.poll(() => page.locator('#orders-rows .order-number').allTextContents(), soon).toEqual(newest.slice(20));
  expect(await page.getByRole('link', { name: 'Older orders' }).isHidden()).toBe(true);
  await page.getByRole('link', { name: 'Newest orders' }).click();
  await page.waitForURL(/\/orders$/);
  await expect.poll(() => page.locator('#orders-rows tr').count(), soon).toBe(20);

  await page.getByRole('link', { name: newest[0]! }).click();
  await page.waitForURL(`**/orders/${newest[0]}`);
  await expect.poll(() => page.locator('#order-id').textContent(), soon).toBe(newest[0]);
  expect(watched.problems).toEqual([]);
  expectSmallScripts(watched);
  await context.close();
}, 120_000);

it('cancels an order from its page, refunds it and voids its label', async () => {
  const user = await signedIn(engine.rt);
  const o = await paidOrder(user);
  await expect.poll(async () => (await parcelsOf(o.order_id)).length, soon).toBe(1);
  const { context, watched, page } = await shopperPage(user);
  await page.goto(`/orders/${o.order_id}`);
  await expect.poll(() => page.locator('#order-state').textContent(), soon).toBe('Paid');
  expect(await page.locator('#parcels').innerText()).toMatch(/Status\s+Label created/);

  await page.getByRole('button', { name: 'Cancel order' }).click();
  expect(await page.locator('#cancel-question').textContent()).toBe('Cancel this order? $32.50 goes back to your card.');
  await page.getByRole('button', { name: 'Keep the order' }).click();
  expect(await page.locator('#order-state').textContent()).toBe('Paid');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), soon).toBe('Order cancelled. $32.50 is refunded to your card.');
  expect(await page.locator('#order-state').textContent()).toBe('Cancelled');
  expect(await page.locator('#cancel-box').isHidden()).toBe(true);
  expect(await page.locator('#refund-list').textContent()).toMatch(/^\$32\.50 for the cancellation · refunded /);
  expect(await page.locator('#order-payment').textContent()).toBe('$32.50 by card, $32.50 refunded');
  await expect.poll(async () => (await parcelsOf(o.order_id))[0]!.status, soon).toBe('cancelled');
  await page.reload();
  await expect.poll(() => page.locator('#parcels').innerText(), soon).toMatch(/Status\s+Label voided/);
  await expectAccessible(page);
  expect(watched.problems).toEqual([]);
  await context.close();
}, 120_000);

it('shows each parcel’s tracking and takes a return of chosen units after delivery', async () => {
  const admin = await signedIn(engine.rt, 'admin');
  const user = await signedIn(engine.rt);
  // Two mugs from the first warehouse and a lamp from the second: two parcels.
  const o = await paidOrder(user, { lines: [{ price_cents: 1_000, units: [2, 0] }, { price_cents: 3_000, units: [0, 1] }] });
  await expect.poll(async () => (await parcelsOf(o.order_id)).length, soon).toBe(2);
  const parcels = await parcelsOf(o.order_id);
  for (const p of parcels) expect((await engine.call('POST', `/api/v1/admin/shipments/${p.shipment_id}/deliver`, admin.token)).status).toBe(200);

  const { context, watched, page } = await shopperPage(user);
  await page.goto(`/orders/${o.order_id}`);
  await expect.poll(() => page.locator('#order-state').textContent(), soon).toBe('Delivered');
  expect(await page.locator('#cancel-box').isHidden()).toBe(true);
  const tracking = page.getByRole('region', { name: 'Tracking' });
  expect(await tracking.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Parcel 1 of 2', 'Parcel 2 of 2']);
  for (const p of parcels) {
    expect(await tracking.innerText()).toContain(p.tracking_number);
    expect(await tracking.getByRole('link', { name: `Track ${p.tracking_number}` }).getAttribute('href')).toBe(p.tracking_url);
  }
  expect(await page.getByRole('list', { name: `Scans of ${parcels[0]!.tracking_number}` }).innerText()).toMatch(/Label created[\s\S]*In transit[\s\S]*Delivered/);
  expect(await page.locator('#order-timeline').innerText()).toMatch(/^Placed[\s\S]*Paid[\s\S]*Shipped[\s\S]*Delivered/);
  expect(await page.locator('#return-window').textContent()).toMatch(/^Returns are open until /);

  const form = page.getByRole('region', { name: 'Request a return' });
  const [mug] = o.products;
  await form.getByRole('button', { name: 'Request a return' }).click();
  await expect.poll(() => page.getByRole('alert').textContent(), soon).toBe('Choose how many units of at least one item to send back.');
  await form.getByRole('spinbutton', { name: /\(up to 2\)$/ }).fill('1');
  await form.getByLabel('Reason').selectOption('Too small');
  await form.getByRole('button', { name: 'Request a return' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), soon).toBe('Return requested. Send the units back; the refund follows once they arrive.');
  await expectAccessible(page);
  await screenshots(page, 'order');
  expect(await page.locator('#return-list').textContent()).toMatch(/^1 × .+ \(Too small\) · requested .+ · on its way back to us$/);
  // What is left to return: one mug and the lamp.
  expect(await form.getByRole('spinbutton').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { max: string }).max))).toEqual(['1', '1']);
  const [asked] = await engine.rt.sql<{ product_id: string; quantity: number; reason: string }[]>`
    select l.product_id, l.quantity, l.reason from return_lines l join returns r using (return_id) where r.order_id = ${o.order_id}`;
  expect(asked).toEqual({ product_id: mug, quantity: 1, reason: 'Too small' });
  expect(watched.problems).toEqual([]);
  expectSmallScripts(watched);
  await context.close();
}, 120_000);
