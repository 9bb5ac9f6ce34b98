import { AppError, type ShippingOption, type Sql, type Tx } from '../../platform/index.ts';
import type { Clock } from '../steps.ts';
import { allocate, freeFor } from './allocation.ts';
import type { Quote, Totals } from './pricing.ts';
import { loadCheckout, movesBetween, releaseIn, savePricing, writeHeld, type LoadedCheckout } from './repo.ts';
import { assertOpen, ownCheckout } from './rules.ts';
import { optionsFor, priceCheckout, rankFor, type ShippingTables } from './shipping.ts';
import { lockProducts, moveReserved } from './stock.ts';
import { checkoutView, type CheckoutView } from './view.ts';
import { destinationOf, type Destination } from './zones.ts';

export interface EditDeps {
  sql: Sql;
  tables: ShippingTables;
  clock: Clock;
}

/** What a PATCH may change; at least one of them. */
export interface CheckoutPatch {
  shipping_address_id?: string | undefined;
  shipping_option?: ShippingOption | undefined;
}

/** The shipping options of a checkout, each with the totals it gives. */
export interface ShippingOptionsView {
  checkout_id: string;
  shipping_address_id: string;
  currency: string;
  options: (Quote & Totals)[];
}

const fieldError = (kind: 'invalid' | 'unprocessable', field: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError(kind, message, { details: { ...extra, errors: [{ field, message }] } });

/** Where an address of the user ships to: invalid when it is not theirs, unprocessable when nothing ships there. */
async function destinationOfAddress(db: Sql | Tx, t: ShippingTables, userId: string, addressId: string): Promise<Destination> {
  const [a] = await db<{ country: string; region: string | null }[]>`
    select country, region from addresses where address_id = ${addressId} and user_id = ${userId}`;
  if (!a) throw fieldError('invalid', 'shipping_address_id', 'no such address in your address book');
  const to = destinationOf(t.SHIPPING_ZONES, a.country, a.region);
  if (to === null) {
    throw fieldError('unprocessable', 'shipping_address_id', `we do not ship to ${a.country.trim()}`, { reason: 'no_shipping' });
  }
  return to;
}

/** Reading, changing and releasing a checkout of the signed-in user; another user's is not_found. */
export function createEdits(d: EditDeps) {
  const view = (c: LoadedCheckout | undefined) => checkoutView(c!, d.tables, d.clock());

  /** Runs `change` on the user's checkout under its row lock, then answers the checkout as committed. */
  async function locked(userId: string, checkoutId: string, change: (tx: Tx, c: LoadedCheckout) => Promise<void>) {
    await d.sql.begin(async (tx) => change(tx, ownCheckout(await loadCheckout(tx, checkoutId, true), userId)));
    return view(await loadCheckout(d.sql, checkoutId));
  }

  return {
    get: async (userId: string, checkoutId: string): Promise<CheckoutView> =>
      view(ownCheckout(await loadCheckout(d.sql, checkoutId), userId)),

    /**
     * Sets the shipping address and/or option of an open checkout (the option is `standard` until one is chosen;
     * an option needs an address). A new address re-allocates the lines for it (warehouses in its zone first, then
     * the fewest shipments), moving the reservations in the same transaction under row locks in the global order,
     * never beyond the stock for sale plus what the checkout already holds. The totals follow.
     */
    update: (userId: string, checkoutId: string, patch: CheckoutPatch): Promise<CheckoutView> =>
      locked(userId, checkoutId, async (tx, c) => {
        const now = d.clock();
        assertOpen(c.snapshot, now);
        const addressId = patch.shipping_address_id ?? c.shipping_address_id;
        if (addressId === null) {
          throw fieldError('invalid', 'shipping_address_id', 'choose a shipping address before a shipping option');
        }
        const to = await destinationOfAddress(tx, d.tables, userId, addressId);
        const option = patch.shipping_option ?? c.shipping_option ?? 'standard';
        const held = c.reservations.filter((r) => r.status === 'held');
        const stock = await lockProducts(tx, c.lines.map((l) => l.product_id));
        const alloc = allocate(c.lines, freeFor(stock, held), rankFor(d.tables, to));
        if (!alloc.ok) throw new AppError('internal', `checkout ${checkoutId} holds less than its lines`);
        await moveReserved(tx, movesBetween(held, alloc.allocations));
        await writeHeld(tx, checkoutId, alloc.allocations, new Date(c.expires_at));
        const regions = new Map(stock.map((s) => [s.warehouse_id, s.region]));
        const sent = alloc.allocations.map((a) => ({ warehouse_id: a.warehouse_id, region: regions.get(a.warehouse_id)! }));
        const { totals } = priceCheckout(d.tables, { lines: c.lines, sent, to, option }, now);
        await savePricing(tx, checkoutId, { lines: c.lines, shipping_address_id: addressId, shipping_option: option, totals });
      }),

    /**
     * Releases an open checkout's reservation (its stock goes back on sale). Releasing one already released or
     * expired changes nothing; conflict while it is being paid for or once it is an order.
     */
    release: (userId: string, checkoutId: string): Promise<CheckoutView> =>
      locked(userId, checkoutId, async (tx, c) => {
        const s = c.snapshot;
        if (s.status === 'released' || s.status === 'expired') return;
        assertOpen({ ...s, expires_at: Infinity }, d.clock()); // paying or completed: conflict
        await releaseIn(tx, c, 'released');
      }),

    /** Standard and express for the checkout's address and allocation; conflict before an address is chosen. */
    shippingOptions: async (userId: string, checkoutId: string): Promise<ShippingOptionsView> => {
      const c = ownCheckout(await loadCheckout(d.sql, checkoutId), userId);
      if (c.shipping_address_id === null) {
        throw new AppError('conflict', 'choose a shipping address first (PATCH the checkout)', { details: { reason: 'no_address' } });
      }
      const to = await destinationOfAddress(d.sql, d.tables, userId, c.shipping_address_id);
      return {
        checkout_id: checkoutId,
        shipping_address_id: c.shipping_address_id,
        currency: c.currency,
        options: optionsFor(d.tables, { lines: c.lines, sent: c.reservations, to }, d.clock()),
      };
    },
  };
}
