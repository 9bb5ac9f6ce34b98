import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startEngine, type Engine } from '../engine.ts';

/** Debian's Chromium, which .ci/run installs with apt when it is missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without the background-networking flags Chromium reaches for the network, which this machine refuses. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** How long a page may take to show what a test waits for (a busy machine runs 50 pages). */
export const soon = { timeout: 20_000, interval: 100 };

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Headless Chromium with a fresh profile (Playwright gives each launch a temporary user-data dir). */
export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

/**
 * Starts an engine and a browser before the tests of the file that calls this and closes both after them; `set`
 * receives them once both have started.
 */
export function engineAndBrowserForFile(set: (started: { engine: Engine; browser: Browser }) => void): void {
  let engine: Engine | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    engine = await startEngine();
    browser = await launchBrowser();
    set({ engine, browser });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Watched {
  page: Page;
  /**
   * Console errors and failed page scripts (a CSP refusal is one), which every test expects to stay empty. An API
   * answer of 4xx, which the page shows as a message, is left out (Chromium logs each as a failed load).
   */
  problems: string[];
  /** Bytes of JavaScript each document loaded, by the document's path. */
  scriptBytes: Map<string, number>;
}

/** A page that records its console errors, uncaught exceptions and the JavaScript it loads. */
export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const problems: string[] = [];
  const scriptBytes = new Map<string, number>();
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return;
    const doc = new URL(r.request().frame().url()).pathname;
    r.body().then(
      (b) => scriptBytes.set(doc, (scriptBytes.get(doc) ?? 0) + b.length),
      () => undefined,
    );
  });
  return { page, problems, scriptBytes };
}

/**
 * Runs axe-core (injected from node_modules, as the page loads nothing from elsewhere) and expects no serious
 * or critical violation; the list is in the failure message.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(`${await axeSource}\n;0`);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `accessibility violations on ${page.url()}`).toEqual([]);
}

/**
 * Saves the page at desktop and phone width as <name>-desktop.png and -phone.png: under .stack/screenshots/, or
 * under docs/screenshots/ (the ones README shows) when UPDATE_SCREENSHOTS=1, so a test run leaves the tree as it was.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../.stack/screenshots/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: new URL(`${name}-${size}.png`, dir).pathname, fullPage: true });
  }
  await page.setViewportSize(before);
}

/** Every page loaded no more than 100 KB of JavaScript. */
export function expectSmallScripts(w: Watched): void {
  expect(w.scriptBytes.size).toBeGreaterThan(0);
  for (const [path, bytes] of w.scriptBytes) expect(bytes, `JavaScript of ${path}`).toBeLessThanOrEqual(100 * 1024);
}
