import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createTestDrop, createTestUsers } from '../fixtures.ts';
import { settledAudit, type Engine } from '../engine.ts';
import { engineAndBrowserForFile, expectAccessible, expectSmallScripts, screenshots, soon, watchedPage, type Watched } from './browser.ts';
import { neverRises, OUTCOME, positionsShown, recordRoomStatus, roomStatus, signInContext, WAITING_OR_DONE } from './shopper.ts';

const SHOPPERS = 50;
const UNITS = 10;
let engine: Engine;
let browser: Browser;
engineAndBrowserForFile((started) => ({ engine, browser } = started));

interface Shopper {
  context: BrowserContext;
  watched: Watched;
  page: Page;
  shown: string[];
}

/** Runs `f` over the items, at most `n` at a time. */
async function pool<T, R>(items: T[], n: number, f: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!, i);
      }
    }),
  );
  return out;
}

it('takes 50 shoppers through one drop of 10 units: each page ends with an outcome, 10 purchased, no position rose', async () => {
  const startsAt = Date.now() + 60_000;
  // Holds of 30 s: a holder whose page has not paid by then (a machine this loaded may starve a page) hands the unit
  // to the next in line, as in production, and its page says it expired, so every page still ends with an outcome.
  const drop = await createTestDrop(engine.rt, { quantity: UNITS, starts_at: startsAt, hold_seconds: 30, topic: engine.names.topics.intents });
  const users = await createTestUsers(engine.rt, SHOPPERS);

  // Every shopper opens the drop page and chooses a test card; the page loads take a while on a small machine.
  const open = async (u: (typeof users)[number]): Promise<Shopper> => {
    const context = await browser.newContext({ baseURL: engine.edge.url, viewport: { width: 1280, height: 800 } });
    await signInContext(context, { user_id: u.user_id, token: await engine.tokenFor(u.user_id) });
    const shown = await recordRoomStatus(context);
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(`/drops/${drop.drop_id}`);
    await expect.poll(() => page.getByLabel('Ship to').locator('option').count(), soon).toBe(2);
    await page.locator('#join').getByLabel('Card').selectOption('pm_card_visa');
    return { context, watched, page, shown };
  };
  /** Joins: into the pre-queue before the opening, into the line after it, or told at once that it sold out. */
  const join = async (s: Shopper) => {
    await s.page.getByRole('button', { name: 'Join the drop' }).click();
    await expect.poll(() => roomStatus(s.page), soon).toMatch(WAITING_OR_DONE);
  };
  // The first shopper sees the countdown and joins the pre-queue; the others follow, some perhaps after the opening.
  const early = await open(users[0]!);
  await join(early);
  const first = early.page;
  expect(await first.locator('#countdown').textContent()).toMatch(/^Opens in 00:0[01]:\d\d$/); // a minute or less
  expect(early.shown[0]).toMatch(/pre-queue/);
  await expectAccessible(first);
  await screenshots(first, 'drop-prequeue');

  // A dropped connection (the waiting room's thread dies and is started again) and a reload lose no place.
  await engine.edge.waitingRoom.thread().terminate();
  await first.reload();
  await expect.poll(() => early.shown.at(-1), soon).toMatch(/pre-queue/);

  // The others load their pages, then join at about the same moment; a few reload while they wait.
  const shoppers = [early, ...(await pool(users.slice(1), 8, open))];
  await Promise.all(shoppers.slice(1).map(join));
  await Promise.all(shoppers.slice(1, 5).map((s) => s.page.reload()));

  // The opening is up to a minute away, and 50 browser pages share the machine with the engine (and in a whole
  // run with other test files): the outcomes may take minutes to show.
  await pool(shoppers, SHOPPERS, async (s) => {
    await expect.poll(() => roomStatus(s.page), { timeout: 240_000, interval: 250 }).toMatch(OUTCOME);
  });
  const outcomes = await Promise.all(shoppers.map((s) => roomStatus(s.page)));
  expect(outcomes.filter((o) => o!.startsWith('Purchased!'))).toHaveLength(UNITS);
  expect(outcomes.filter((o) => o!.startsWith('Sold out.') || o!.startsWith('Expired.'))).toHaveLength(SHOPPERS - UNITS);
  for (const s of shoppers) {
    expect(neverRises(positionsShown(s.shown)), s.shown.join(' | ')).toBe(true);
    // Connections refused while the waiting room's thread was down are the point of that step, not a fault.
    expect(s.watched.problems.filter((p) => !/WebSocket connection to .* failed/.test(p))).toEqual([]);
  }

  const buyer = shoppers.find((_, i) => outcomes[i]!.startsWith('Purchased!'))!;
  await expect.poll(() => buyer.page.getByRole('link', { name: 'See your order' }).isVisible(), soon).toBe(true);
  await expectAccessible(buyer.page);
  await screenshots(buyer.page, 'drop-purchased');
  expectSmallScripts(buyer.watched);

  // The order link leads to the order as its owner sees it.
  await buyer.page.getByRole('link', { name: 'See your order' }).click();
  await expect.poll(() => buyer.page.locator('#order-state').textContent(), soon).toBe('Paid');
  await expectAccessible(buyer.page);

  const report = await settledAudit(engine, drop.drop_id);
  expect(report.violations).toEqual([]);
  expect(report.counts.purchased).toBe(UNITS);
  await Promise.all(shoppers.map((s) => s.context.close()));
}, 420_000);

it('shows a declined card as a failed payment and pays with another card while the unit is held', async () => {
  const drop = await createTestDrop(engine.rt, { quantity: 1, topic: engine.names.topics.intents });
  const [u] = await createTestUsers(engine.rt, 1);
  const context = await browser.newContext({ baseURL: engine.edge.url });
  await signInContext(context, { user_id: u!.user_id, token: await engine.tokenFor(u!.user_id) });
  const { page, problems } = await watchedPage(context);
  await page.goto(`/drops/${drop.drop_id}`);
  await expect.poll(() => page.getByLabel('Ship to').locator('option').count(), soon).toBe(2);
  await page.locator('#join').getByLabel('Card').selectOption('pm_card_chargeDeclined');
  await page.getByRole('button', { name: 'Join the drop' }).click();
  await expect.poll(() => roomStatus(page), soon).toMatch(/^Payment failed: the card was declined\. The unit stays held for you until/);
  await expectAccessible(page);
  await screenshots(page, 'drop-declined');
  await page.locator('#retry').getByLabel('Another card').selectOption('pm_card_visa');
  await page.getByRole('button', { name: 'Pay again' }).click();
  await expect.poll(() => roomStatus(page), soon).toMatch(/^Purchased!/);
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);
