import { newId } from '../contracts/index.ts';
import { TOMBSTONE_SECONDS } from './copy.ts';
import { guestTarget, noCart, userTarget, type CartAnswer, type CartDeps, type Core } from './core.ts';
import { mergeLines, type MergeReport } from './merge-lines.ts';
import { isExpired, USER_TTL_SECONDS, withSeen } from './model.ts';
import { capsOf, emptied } from './rules.ts';
import { cartIdOf } from './token.ts';

/** The user's cart after a merge, and what became of the guest's lines. */
export interface MergeOutcome {
  cart: CartAnswer;
  merge: MergeReport;
}

/**
 * The merge of a guest cart into a user's cart, in one PostgreSQL transaction that locks both rows in a fixed
 * order: the guest's lines are added to the user's (see mergeLines for the caps; a guest copy of this very cart,
 * restored from a reminder's link, keeps the larger count of each line), the guest cart is deleted, the
 * user's version incremented. A retried or concurrent merge of the same guest cart finds it gone and changes
 * nothing (not_found), so the lines are merged exactly once. Afterwards the user's cart is published to Redis and
 * the guest's copy replaced by a tombstone.
 */
export function createMerge(core: Core, deps: CartDeps) {
  const defaultLimit = deps.config.CART_LINE_LIMIT;

  return async function merge(user_id: string, token: string): Promise<MergeOutcome> {
    const guestId = cartIdOf(token, deps.config.CART_SECRET);
    if (guestId === null) throw noCart();
    const guest = guestTarget(guestId);
    const user = userTarget(user_id);
    const [guestMarks, userMarks] = await Promise.all([core.marks(guest.key), core.marks(user.key)]);
    const done = await deps.sql.begin(async (tx) => {
      const now = core.now();
      await core.repo.create(tx, {
        cart_id: newId(),
        user_id,
        now,
        expires_at: now + USER_TTL_SECONDS * 1000,
      });
      const locked = await core.repo.lockPair(tx, guestId, user_id);
      const g = locked.guest;
      const u = locked.user;
      if (g === null || u === null || isExpired(g, now)) return null;
      const from = guestMarks?.version === g.version ? withSeen(g, guestMarks.seen) : g;
      const base = isExpired(u, now) ? emptied(u, now) : u;
      const into = userMarks?.version === u.version ? withSeen(base, userMarks.seen) : base;
      const rules = await core.repo.rules(
        tx,
        from.lines.map((l) => l.product_id),
        defaultLimit,
      );
      // A guest copy of this very cart (restored from a reminder) holds the same lines: the larger count, not the sum.
      const combine = (await core.repo.restoredFrom(tx, g.cart_id)) === u.cart_id ? 'max' : 'sum';
      const { state: merged, report } = mergeLines(into, from, capsOf(rules, defaultLimit), now, combine);
      const { answer, seen } = await core.view(merged);
      const stored = core.stamped(merged, seen, now);
      const version = await core.repo.save(tx, u, stored);
      await core.repo.remove(tx, g.cart_id);
      return {
        state: { ...stored, version },
        answer: { ...answer, version },
        report,
        guestVersion: g.version,
      };
    });
    if (done === null) throw noCart();
    await core.publish(user.key, done.state);
    await core.copy.bury(guest.key, done.guestVersion + 1, TOMBSTONE_SECONDS).catch(async (err: unknown) => {
      deps.logger.warn({ err }, 'merged guest cart not buried in Redis; dropping its copy');
      await core.copy
        .drop(guest.key)
        .catch((e: unknown) => deps.logger.error({ err: e }, 'merged guest cart left in Redis'));
    });
    return { cart: done.answer, merge: done.report };
  };
}
