import { newId } from '../contracts/index.ts';
import { AppError, isAppError } from '../platform/index.ts';
import { factsOf } from './facts.ts';
import { createMerge, type MergeOutcome } from './merge.ts';
import { mergeLines } from './merge-lines.ts';
import { isExpired, withSeen, ttlSecondsOf, type CartState } from './model.ts';
import { addLine, capsOf, emptied, removeLine, setLineQuantity } from './rules.ts';
import { createCore, guestTarget, noCart, type CartAnswer, type CartDeps, type Who } from './core.ts';
import { restoredCartOf, unsubscribedUserOf } from './token.ts';
import { emptyView } from './view.ts';

export interface Carts {
  /** The cart; an empty one (cart_id null) without a cart, with a forged token, or once it expired or was merged. */
  get(who: Who): Promise<CartAnswer>;
  /** Adds units to a product's line; a request without a cart gets a new guest cart (and its token). */
  add(who: Who, product_id: string, quantity: number): Promise<CartAnswer>;
  /** Sets a line's quantity; 0 removes it. */
  setQuantity(who: Who, product_id: string, quantity: number): Promise<CartAnswer>;
  /** Removes a product's line; a line not in the cart leaves the cart as it is. */
  remove(who: Who, product_id: string): Promise<CartAnswer>;
  /** Merges the guest cart a token names into the user's cart; not_found when it names no guest cart. */
  merge(user_id: string, token: string): Promise<MergeOutcome>;
  /**
   * The same for a sign-in, which has already succeeded: null when nothing was merged (a bad or stale token), or
   * when the merge failed (logged; the guest cart is then kept, or merged but not yet confirmed in Redis), so the
   * guest cart never fails a sign-in.
   */
  mergeOnSignIn(user_id: string, token: string): Promise<MergeOutcome | null>;
  /**
   * Opens a reminder's restore link: the cart it names, as its owner reads it; anyone else gets its lines copied
   * into their cart (a signed-in user's, else the request's guest cart or a new one), each line kept at the larger
   * of the two quantities, so opening the link again changes nothing. A guest copy merges back into its owner's
   * cart on sign-in without counting the lines twice. not_found for a forged or expired link or a cart gone.
   */
  restore(who: Who, token: string): Promise<CartAnswer>;
  /** Records that an unsubscribe link's user wants no more cart reminders; invalid for a forged link. */
  unsubscribe(token: string): Promise<void>;
}

/**
 * Guest and user carts. PostgreSQL holds the durable copy, Redis the copy reads are served from:
 * - a change commits in PostgreSQL first (one transaction, the cart's row locked, its version incremented), then
 *   replaces the Redis copy unless that already holds a newer version, and only then is answered; so an answered
 *   change survives losing Redis, and two writers can never leave the older cart in Redis;
 * - a read asks only Redis (and the catalog's page cache) while Redis holds the cart; on a miss it loads the cart
 *   from PostgreSQL and refills Redis with it;
 * - a price change is shown once: the read that shows it marks the line seen in Redis only, and PostgreSQL takes
 *   the mark with the cart's next change. A copy lost before that change shows the same price change once more.
 * Carts live 30 days (guests) or 90 days (users) after their last change; an expired cart reads as none, an
 * expired user cart starts again empty on the next change, an expired guest cart is gone (not_found on writes).
 */
export function createCarts(deps: CartDeps): Carts {
  const core = createCore(deps);
  const { repo } = core;
  const defaultLimit = deps.config.CART_LINE_LIMIT;

  const noProduct = (product_id: string) => new AppError('not_found', `no product ${product_id}`);

  async function get(who: Who): Promise<CartAnswer> {
    const t = core.resolve(who);
    if (t === 'none' || t === 'forged') return emptyView();
    const live = await core.read(t);
    if (live === null) return emptyView();
    const { answer, seen } = await core.view(withSeen(live.state, live.seen));
    if (seen.size > 0) {
      await core.copy
        .markSeen(t.key, live.state.version, seen)
        .catch((err: unknown) => deps.logger.warn({ err }, 'cart seen marks not written'));
    }
    return answer;
  }

  /**
   * Applies `mutate` to the cart under its row lock and commits, then publishes. `mutate` returning the cart it
   * was given means nothing to change: no write, the cart is answered as it is. A user's cart is created when
   * missing (and not kept when the change changes nothing); a request without a token gets a new guest cart only
   * with `create`, else not_found.
   */
  async function change(
    who: Who,
    mutate: (state: CartState, now: number) => CartState,
    o: { create: boolean; restoredFrom?: string },
  ): Promise<CartAnswer> {
    const t = core.resolve(who);
    if (t === 'forged' || (t === 'none' && !o.create)) throw noCart();
    const target = t === 'none' ? guestTarget(newId()) : t;
    const marks = t === 'none' ? null : await core.marks(target.key);
    const done = await deps.sql.begin(async (tx) => {
      const now = core.now();
      let locked = t === 'none' ? null : await repo.lock(tx, target.ref);
      const missing = locked === null;
      if (missing && (t === 'none' || target.user_id !== null)) {
        const cart_id = 'cart_id' in target.ref ? target.ref.cart_id : newId();
        const ttl = ttlSecondsOf({ user_id: target.user_id });
        await repo.create(tx, { cart_id, user_id: target.user_id, now, expires_at: now + ttl * 1000 });
        locked = await repo.lock(tx, target.ref);
      }
      if (locked === null || (target.user_id === null && isExpired(locked, now))) throw noCart();
      const base = isExpired(locked, now) ? emptied(locked, now) : locked;
      const start = marks?.version === locked.version ? withSeen(base, marks.seen) : base;
      const next = mutate(start, now);
      if (next === start) {
        // A change that changes nothing leaves no cart behind either (removing a line from a cart never made).
        if (missing) await repo.remove(tx, locked.cart_id);
        return null;
      }
      const { answer, seen } = await core.view(next);
      const stored = core.stamped(next, seen, now);
      const version = await repo.save(tx, locked, stored);
      if (o.restoredFrom !== undefined) await repo.markRestored(tx, locked.cart_id, o.restoredFrom);
      return { state: { ...stored, version }, answer: { ...answer, version } };
    });
    if (done === null) return get(who);
    await core.publish(target.key, done.state);
    return done.answer;
  }

  const merge = createMerge(core, deps);

  return {
    get,

    async add(who, product_id, quantity) {
      const rule = (await repo.rules(deps.sql, [product_id], defaultLimit)).get(product_id);
      const facts = rule && factsOf(await deps.products.page(product_id));
      if (!rule || !facts) throw noProduct(product_id);
      const line = { product_id, quantity, price_cents: facts.price_cents, currency: facts.currency };
      return change(who, (state, now) => addLine(state, line, rule, now), { create: true });
    },

    async setQuantity(who, product_id, quantity) {
      const rule =
        quantity > 0
          ? ((await repo.rules(deps.sql, [product_id], defaultLimit)).get(product_id) ?? null)
          : null;
      const set = (state: CartState, now: number) =>
        setLineQuantity(state, product_id, quantity, rule, defaultLimit, now);
      return change(who, set, { create: false });
    },

    async remove(who, product_id) {
      return change(who, (state) => removeLine(state, product_id), { create: false });
    },

    merge: (user_id, token) => merge(user_id, token),

    async mergeOnSignIn(user_id, token) {
      try {
        return await merge(user_id, token);
      } catch (err) {
        if (!isAppError(err) || err.kind !== 'not_found')
          deps.logger.error({ err, user_id }, 'guest cart not merged on sign-in');
        return null;
      }
    },

    async restore(who, token) {
      const sourceId = restoredCartOf(token, deps.config.CART_SECRET, core.now());
      const source = sourceId === null ? null : await repo.load({ any_id: sourceId });
      if (source === null || source.user_id === null || isExpired(source, core.now())) throw noCart();
      if ('user_id' in who && who.user_id === source.user_id) return get(who);
      const rules = await repo.rules(
        deps.sql,
        source.lines.map((l) => l.product_id),
        defaultLimit,
      );
      return change(who, (state, now) => mergeLines(state, source, capsOf(rules, defaultLimit), now, 'max').state, {
        create: true,
        restoredFrom: source.cart_id,
      });
    },

    async unsubscribe(token) {
      const user_id = unsubscribedUserOf(token, deps.config.CART_SECRET);
      if (user_id === null) {
        throw new AppError('invalid', 'the link is not an unsubscribe link of ours', {
          details: { errors: [{ field: 'token', message: 'is not an unsubscribe link' }] },
        });
      }
      await deps.sql`insert into cart_reminder_optouts (user_id) select user_id from users where user_id = ${user_id}
                     on conflict do nothing`;
    },
  };
}
