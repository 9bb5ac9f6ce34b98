import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createCartReminders } from '../cart/index.ts';
import { newId } from '../contracts/index.ts';
import { edgeApp } from '../edge/server.ts';
import { createMailer } from '../platform/mail.ts';
import { cartClient, cartHeader, cartProduct, quantities, scheduleDrop } from './cart-fixtures.ts';
import { bearer, json, signedIn, testRuntime } from './helpers.ts';

const rt = testRuntime();
const { app, close } = await edgeApp(rt);
const cart = cartClient(app);
const mailDir = await mkdtemp(join(tmpdir(), 'reminder-mail-'));
const reminders = createCartReminders({ sql: rt.sql, mailer: createMailer({ SMTP_URL: undefined, MAIL_DIR: mailDir }), logger: rt.logger, config: rt.config });
afterAll(async () => {
  await close();
  await rm(mailDir, { recursive: true, force: true });
  await rt.redis.quit();
  await rt.sql.end();
});

const HOUR = 3_600_000;
const later = (hours: number) => Date.now() + hours * HOUR;
/** A signed-in shopper whose cart holds `n` units of a fresh product (or of `product`). */
async function shopperWithCart(n = 2, product?: string) {
  const user = await signedIn(rt);
  const product_id = product ?? (await cartProduct(rt, { price_cents: 1_250, stock: 20 }));
  expect((await cart.add(product_id, n, bearer(user.token))).status).toBe(200);
  const [row] = await rt.sql<{ cart_id: string }[]>`select cart_id from carts where user_id = ${user.user_id}`;
  return { ...user, product_id, cart_id: row!.cart_id };
}
/** The reminder emails of a cart, by version. */
const mailOf = async (cartId: string) =>
  (await readdir(mailDir)).filter((f) => f.startsWith(`cart-reminder.${cartId}.`)).sort();
/** A link of an email's text (quoted-printable undone). */
async function link(file: string, label: string): Promise<string> {
  const text = (await readFile(join(mailDir, file), 'utf8')).replace(/=\n/g, '').replace(/=3D/g, '=');
  const url = new RegExp(`${label}: (\\S+)`).exec(text)?.[1];
  if (url === undefined) throw new Error(`no "${label}" link in ${file}`);
  return new URL(url).pathname + new URL(url).search;
}
const mine = (r: { cart_id: string }[], cartId: string) => r.filter((x) => x.cart_id === cartId);

describe('abandoned-cart reminders', () => {
  it('reminds of a cart untouched for a day once, and again only once it changed', async () => {
    const s = await shopperWithCart();
    expect(mine(await reminders.run(later(23)), s.cart_id)).toEqual([]);
    expect(mine(await reminders.run(later(25), { dryRun: true }), s.cart_id)).toEqual([
      { cart_id: s.cart_id, user_id: s.user_id, email: expect.stringContaining('@example.test') as string, version: 1, sent: false },
    ]);
    expect(await mailOf(s.cart_id)).toEqual([]);
    const passes = await Promise.all([reminders.run(later(25)), reminders.run(later(25))]);
    expect(passes.flatMap((p) => mine(p, s.cart_id))).toHaveLength(1);
    expect(mine(await reminders.run(later(26)), s.cart_id)).toEqual([]);
    const eml = await readFile(join(mailDir, (await mailOf(s.cart_id))[0]!), 'utf8');
    expect(eml).toContain('Subject: You left something in your cart');
    expect(eml).toMatch(/List-Unsubscribe:\s+<http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cart\/reminders\/unsubscribe\?token=/);
    const restore = await link((await mailOf(s.cart_id))[0]!, 'Back to your cart');
    expect(restore).toMatch(/^\/api\/v1\/cart\/restore\?token=[\w.-]+$/);
    expect(restore).not.toContain(s.cart_id); // the cart is named only inside a signed token

    expect((await cart.add(s.product_id, 1, bearer(s.token))).status).toBe(200);
    expect(mine(await reminders.run(later(50)), s.cart_id)).toMatchObject([{ version: 2, sent: true }]);
    expect(await mailOf(s.cart_id)).toHaveLength(2);
  });

  it('reminds of no cart followed by an order, nor of one whose items are all unavailable, nor of a guest’s', async () => {
    const ordered = await shopperWithCart();
    await rt.sql`insert into orders (order_id, user_id, status, subtotal_cents, total_cents, currency)
                 values (${newId()}, ${ordered.user_id}, 'paid', 100, 100, 'USD')`;
    const inDrop = await shopperWithCart();
    await scheduleDrop(rt, inDrop.product_id);
    const soldOut = await shopperWithCart();
    await rt.sql`update inventory set available_count = 0 where product_id = ${soldOut.product_id}`;
    expect((await cart.add(await cartProduct(rt), 1)).status).toBe(200);
    const ran = await reminders.run(later(25));
    for (const s of [ordered, inDrop, soldOut]) expect(mine(ran, s.cart_id)).toEqual([]);
    const [guests] = await rt.sql<{ n: number }[]>`
      select count(*)::int as n from cart_reminders r join carts c using (cart_id) where c.user_id is null`;
    expect(guests!.n).toBe(0);
  });

  it('honours the unsubscribe link: no more reminders for that shopper', async () => {
    const s = await shopperWithCart();
    await reminders.run(later(25));
    const unsubscribe = await link((await mailOf(s.cart_id))[0]!, 'No more of these reminders');
    const res = await app.request(unsubscribe);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unsubscribed: true });
    expect((await app.request(unsubscribe, { method: 'POST' })).status).toBe(200); // the one-click POST, again
    await cart.add(s.product_id, 1, bearer(s.token));
    expect(mine(await reminders.run(later(50)), s.cart_id)).toEqual([]);
    const forged = await app.request('/api/v1/cart/reminders/unsubscribe?token=e30.forged');
    expect(forged.status).toBe(400);
  });

  it('restores the cart on another device without doubling it when its owner signs in there', async () => {
    const s = await shopperWithCart(3);
    await reminders.run(later(25));
    const restore = await link((await mailOf(s.cart_id))[0]!, 'Back to your cart');
    const res = await cart.call(restore.slice('/api/v1'.length));
    expect(res.status).toBe(200);
    expect(res.cookie).toMatch(/^cart_token=/);
    expect(quantities(res.body)).toEqual({ [s.product_id]: 3 });
    const guest = res.body.cart_token!;
    expect((await cart.call(restore.slice('/api/v1'.length), { headers: cartHeader(guest) })).body).toMatchObject({ cart_token: guest, items: [{ quantity: 3 }] });

    // The owner signs in on that device: the guest copy merges back into the cart it came from, not on top of it.
    const merged = await cart.call('/cart/merge', { ...json({ cart_token: guest }, bearer(s.token)), method: 'POST' });
    expect(merged.status).toBe(200);
    expect(quantities(merged.body)).toEqual({ [s.product_id]: 3 });
  });

  it('answers the owner their cart, copies the lines into another shopper’s, and refuses a forged link', async () => {
    const s = await shopperWithCart(2);
    await reminders.run(later(25));
    const restore = (await link((await mailOf(s.cart_id))[0]!, 'Back to your cart')).slice('/api/v1'.length);
    const own = await cart.call(restore, { headers: bearer(s.token) });
    expect(own.body).toMatchObject({ cart_id: s.cart_id, items: [{ product_id: s.product_id, quantity: 2 }] });
    const other = await shopperWithCart(1);
    const copied = await cart.call(restore, { headers: bearer(other.token) });
    expect(quantities(copied.body)).toEqual({ [other.product_id]: 1, [s.product_id]: 2 });
    expect((await cart.call('/cart/restore?token=e30.forged')).status).toBe(404);
    expect((await cart.call('/cart/restore')).status).toBe(400);
  });

  it('runs as a command that shows which carts a pass at a given time would remind', async () => {
    const s = await shopperWithCart();
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['cart/remind.ts', ...args], {
        cwd: resolve(import.meta.dirname, '..'),
        env: { ...process.env, LOG_LEVEL: 'silent', MAIL_DIR: mailDir },
      });
    const asOf = new Date(later(25)).toISOString();
    const dry = (await run('--as-of', asOf, '--dry-run')).stdout.split('\n').filter((l) => l.includes(s.cart_id));
    expect(dry.map((l) => JSON.parse(l) as unknown)).toMatchObject([{ cart_id: s.cart_id, sent: false }]);
    expect(await mailOf(s.cart_id)).toEqual([]);
    const sent = (await run('--as-of', asOf)).stdout.split('\n').filter((l) => l.includes(s.cart_id));
    expect(sent.map((l) => JSON.parse(l) as unknown)).toMatchObject([{ cart_id: s.cart_id, sent: true }]);
    expect(await mailOf(s.cart_id)).toHaveLength(1);
    await expect(run('--as-of', 'tomorrow')).rejects.toMatchObject({ code: 2 });
  });
});
