import type { BrowserContext, Page } from 'playwright-core';

/** What a shopper's tab keeps after signing in (web/assets/common.js), set before any page of the context loads. */
export async function signInContext(context: BrowserContext, user: { user_id: string; token: string; role?: string }) {
  const s = JSON.stringify({ token: user.token, user_id: user.user_id, role: user.role ?? 'customer', exp: Date.now() / 1000 + 3_600 });
  await context.addInitScript((value) => sessionStorage.setItem('flashline.session', value), s);
}

/**
 * Records every text the waiting room's status shows, across reloads: the context's pages report each change
 * of #room-status to the test.
 */
export async function recordRoomStatus(context: BrowserContext): Promise<string[]> {
  const shown: string[] = [];
  await context.exposeBinding('reportRoomStatus', (_source, text: string) => void shown.push(text));
  // A script in the page (a string: the tests' TypeScript has no DOM types).
  await context.addInitScript(`document.addEventListener('DOMContentLoaded', () => {
    const target = document.getElementById('room-status');
    if (target) new MutationObserver(() => reportRoomStatus(target.textContent)).observe(target, { childList: true, characterData: true, subtree: true });
  });`);
  return shown;
}

/** The positions among texts the waiting room showed ("You are number 12 in line."), in order. */
export const positionsShown = (texts: string[]): number[] =>
  texts.flatMap((t) => {
    const m = /number (\d+) in line/.exec(t);
    return m ? [Number(m[1])] : [];
  });

/** Whether a list never goes up. */
export const neverRises = (xs: number[]): boolean => xs.every((x, i) => i === 0 || x <= xs[i - 1]!);

/** What the waiting room says while the shopper waits, or an outcome. */
export const WAITING_OR_DONE = /pre-queue|in line|Your turn|held for you|waitlist|^Purchased!|^Sold out\./;

/** The outcome the waiting room says in words. */
export const OUTCOME = /^(Purchased!|Sold out\.|Payment failed\.|Expired\.|Cancelled\.|Ended\.)/;

export const roomStatus = (page: Page) => page.locator('#room-status').textContent();
