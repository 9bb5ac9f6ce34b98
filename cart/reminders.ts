import type { Config, Logger, Mailer, Sql } from '../platform/index.ts';
import { GUEST_TTL_SECONDS } from './model.ts';
import { buyableLines, reminderEmail, type ReminderCart, type ReminderLine } from './reminder.ts';
import { restoreToken, unsubscribeToken } from './token.ts';

export interface CartRemindersDeps {
  sql: Sql;
  mailer: Mailer;
  logger: Logger;
  config: Pick<Config, 'CART_SECRET' | 'CART_REMINDER_AFTER' | 'PUBLIC_URL'>;
}

/** A cart a pass reminded, or would remind in a dry run. */
export interface Reminded {
  cart_id: string;
  user_id: string;
  email: string;
  version: number;
  sent: boolean;
}

const PAGE = 200;

/**
 * Abandoned-cart reminders. A pass as of a time finds the carts that are owed one: a signed-in shopper's cart with
 * items, untouched for CART_REMINDER_AFTER, not expired, whose owner has not unsubscribed nor ordered since, not
 * reminded of in this state (its version) yet, and with at least one line still for sale. Each gets one email with
 * a signed link that restores the cart on any device and an unsubscribe link; the reminder is recorded in the
 * transaction that holds the cart's row, so a cart changed meanwhile is left for a later pass and two passes never
 * send one twice (a pass cut short after sending sends the same keyed email again, which replaces the first).
 */
export function createCartReminders(d: CartRemindersDeps) {
  const url = (path: string, token: string) => `${d.config.PUBLIC_URL}/api/v1/cart/${path}?token=${encodeURIComponent(token)}`;

  async function page(asOf: number, after: { at: Date; id: string } | null): Promise<(ReminderCart & { updated_at: Date })[]> {
    const carts = await d.sql<(Omit<ReminderCart, 'lines'> & { updated_at: Date })[]>`
      select c.cart_id, c.user_id, c.version::float8 as version, c.updated_at, trim(c.currency) as currency, u.email, u.name
      from carts c join users u using (user_id)
      where c.user_id is not null and c.updated_at <= ${new Date(asOf - d.config.CART_REMINDER_AFTER)}
        and c.expires_at > ${new Date(asOf)}
        and (${after === null} or (c.updated_at, c.cart_id) > (${after?.at ?? null}::timestamptz, ${after?.id ?? null}::uuid))
        and exists (select 1 from cart_items i where i.cart_id = c.cart_id)
        and not exists (select 1 from cart_reminders r where r.cart_id = c.cart_id and r.version = c.version)
        and not exists (select 1 from cart_reminder_optouts x where x.user_id = c.user_id)
        and not exists (select 1 from orders o where o.user_id = c.user_id and o.created_at > c.updated_at)
      order by c.updated_at, c.cart_id limit ${PAGE}`;
    const lines = await d.sql<(ReminderLine & { cart_id: string })[]>`
      select i.cart_id, i.product_id, i.quantity, p.title, p.price_cents::float8 as price_cents, trim(p.currency) as currency,
             exists (select 1 from drops x where x.product_id = i.product_id and x.status in ('scheduled', 'open')) as in_drop,
             coalesce((select sum(v.available_count) from inventory v where v.product_id = i.product_id), 0)::float8 as stock
      from cart_items i left join products p using (product_id)
      where i.cart_id = any(${carts.map((c) => c.cart_id)}::uuid[]) order by i.added_at, i.product_id`;
    return carts.map((c) => ({ ...c, lines: lines.filter((l) => l.cart_id === c.cart_id) }));
  }

  /** Sends the cart's reminder unless its row moved on or it was reminded meanwhile; true when sent. */
  async function remind(c: ReminderCart, asOf: number): Promise<boolean> {
    return d.sql.begin(async (tx) => {
      const [now] = await tx<{ version: number }[]>`select version::float8 as version from carts where cart_id = ${c.cart_id} for update`;
      if (now?.version !== c.version) return false;
      const [fresh] = await tx`insert into cart_reminders (cart_id, version, user_id) values (${c.cart_id}, ${c.version}, ${c.user_id})
                               on conflict do nothing returning cart_id`;
      if (!fresh) return false;
      const unsubscribe = url('reminders/unsubscribe', unsubscribeToken(c.user_id, d.config.CART_SECRET));
      const links = { restore: url('restore', restoreToken(c.cart_id, asOf + GUEST_TTL_SECONDS * 1000, d.config.CART_SECRET)), unsubscribe };
      await d.mailer.send({ key: `cart-reminder.${c.cart_id}.${c.version}`, to: c.email, ...reminderEmail(c, links), unsubscribeUrl: unsubscribe });
      return true;
    });
  }

  /**
   * One pass as of `asOf` (epoch ms; a later time shows which carts a pass then would remind). With `dryRun` nothing
   * is sent or recorded. Answers the carts reminded, or that would be.
   */
  async function run(asOf: number, o: { dryRun?: boolean } = {}): Promise<Reminded[]> {
    const done: Reminded[] = [];
    for (let after: { at: Date; id: string } | null = null; ; ) {
      const carts = await page(asOf, after);
      for (const c of carts) {
        if (buyableLines(c).length === 0) continue;
        const sent = o.dryRun === true ? false : await remind(c, asOf);
        if (sent || o.dryRun === true) done.push({ cart_id: c.cart_id, user_id: c.user_id, email: c.email, version: c.version, sent });
      }
      const last = carts.at(-1);
      if (carts.length < PAGE || !last) break;
      after = { at: last.updated_at, id: last.cart_id };
    }
    if (done.length > 0) d.logger.info({ reminded: done.length, dry_run: o.dryRun === true }, 'cart reminders');
    return done;
  }

  return { run };
}

export type CartReminders = ReturnType<typeof createCartReminders>;
