import { newId } from '../../contracts/index.ts';
import type { ShippingOption, Sql, Tx } from '../../platform/index.ts';
import type { PaymentRow } from '../saga-repo.ts';
import type { PaymentStatus } from '../transitions.ts';
import type { Allocation } from './allocation.ts';
import type { PricedLine, Totals } from './pricing.ts';
import { moveReserved, type RowUnits } from './stock.ts';
import type { CheckoutSnapshot, CheckoutStatus } from './transitions.ts';

/** A reservation row that still counts: held, or sold to the checkout's order. */
export interface Reserved extends Allocation {
  status: 'held' | 'sold';
  /** The warehouse's region (a zone name). */
  region: string;
}

/** A checkout with everything its answers and saga steps need. Times are epoch ms. */
export interface LoadedCheckout {
  snapshot: CheckoutSnapshot;
  user_id: string;
  currency: string;
  lines: PricedLine[];
  shipping_address_id: string | null;
  shipping_option: ShippingOption | null;
  /** The shipping address's country and region, null without an address. */
  address: { country: string; region: string | null } | null;
  totals: Totals;
  expires_at: number;
  reservations: Reserved[];
  payment: (PaymentRow & { checkout_id: string }) | null;
}

interface Row {
  checkout_id: string;
  user_id: string;
  status: CheckoutStatus;
  currency: string;
  lines: PricedLine[];
  shipping_address_id: string | null;
  shipping_option: ShippingOption | null;
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  expires_at: Date;
  cart_refreshed_at: Date | null;
  country: string | null;
  region: string | null;
  reservations: Reserved[];
  payment_id: string | null;
  payment_status: PaymentStatus;
  p_user_id: string;
  idempotency_key: string;
  amount_cents: number;
  p_currency: string;
  payment_method_id: string | null;
  provider_payment_id: string | null;
  order_id: string | null;
}

/**
 * Reads a checkout with its address, its reservations that count (held or sold), its live (else latest failed)
 * payment and its order; undefined when there is none. `lock` takes the checkout's row lock for the rest of `db`'s
 * transaction.
 */
export async function loadCheckout(db: Sql | Tx, checkoutId: string, lock = false): Promise<LoadedCheckout | undefined> {
  const [r] = await db<Row[]>`
    select c.checkout_id, c.user_id, c.status, c.currency, c.lines, c.shipping_address_id, c.shipping_option,
           c.subtotal_cents::float8 as subtotal_cents, c.shipping_cents::float8 as shipping_cents,
           c.tax_cents::float8 as tax_cents, c.total_cents::float8 as total_cents, c.expires_at, c.cart_refreshed_at,
           a.country, a.region,
           coalesce((select json_agg(json_build_object('product_id', r.product_id, 'warehouse_id', r.warehouse_id,
                                                       'quantity', r.quantity, 'status', r.status, 'region', w.region)
                                     order by r.product_id, r.warehouse_id)
                     from checkout_reservations r join warehouses w on w.warehouse_id = r.warehouse_id
                     where r.checkout_id = c.checkout_id and r.status <> 'released'), '[]') as reservations,
           p.payment_id, p.status as payment_status, p.user_id as p_user_id, p.idempotency_key,
           p.amount_cents::float8 as amount_cents, p.currency as p_currency, p.payment_method_id, p.provider_payment_id,
           o.order_id
    from checkouts c
    left join addresses a on a.address_id = c.shipping_address_id
    left join lateral (
      select * from payments where checkout_id = c.checkout_id order by (status <> 'failed') desc, created_at desc limit 1
    ) p on true
    left join orders o on o.checkout_id = c.checkout_id
    where c.checkout_id = ${checkoutId}
    ${lock ? db`for update of c` : db``}`;
  return r && loadedOf(r);
}

function loadedOf(r: Row): LoadedCheckout {
  const order = r.lines.map((l) => l.product_id);
  const payment =
    r.payment_id === null
      ? null
      : {
          payment_id: r.payment_id,
          checkout_id: r.checkout_id,
          user_id: r.p_user_id,
          idempotency_key: r.idempotency_key,
          status: r.payment_status,
          amount_cents: r.amount_cents,
          currency: r.p_currency.trim(),
          payment_method_id: r.payment_method_id,
          provider_payment_id: r.provider_payment_id,
        };
  return {
    snapshot: {
      checkout_id: r.checkout_id,
      status: r.status,
      expires_at: r.expires_at.getTime(),
      payment: payment && { payment_id: payment.payment_id, status: payment.status },
      order_id: r.order_id,
      cart_refreshed: r.cart_refreshed_at !== null,
    },
    user_id: r.user_id,
    currency: r.currency.trim(),
    lines: r.lines,
    shipping_address_id: r.shipping_address_id,
    shipping_option: r.shipping_option,
    address: r.country === null ? null : { country: r.country.trim(), region: r.region },
    totals: {
      subtotal_cents: r.subtotal_cents,
      shipping_cents: r.shipping_cents,
      tax_cents: r.tax_cents,
      total_cents: r.total_cents,
    },
    expires_at: r.expires_at.getTime(),
    // in the order of the checkout's lines
    reservations: [...r.reservations].sort((a, b) => order.indexOf(a.product_id) - order.indexOf(b.product_id)),
    payment,
  };
}

/** The user's checkout holding stock (open or paying), locked for the rest of the transaction; undefined if none. */
export async function lockCurrent(tx: Tx, userId: string): Promise<LoadedCheckout | undefined> {
  const [c] = await tx<{ checkout_id: string }[]>`
    select checkout_id from checkouts where user_id = ${userId} and status in ('open', 'paying') for update`;
  return c && loadCheckout(tx, c.checkout_id, true);
}

/** What a new checkout is made of. */
export interface NewCheckout {
  checkout_id: string;
  user_id: string;
  currency: string;
  lines: PricedLine[];
  totals: Totals;
  expires_at: number;
  allocations: Allocation[];
}

/** Inserts an open checkout and its held reservations (the stock must already be moved). */
export async function insertCheckout(tx: Tx, c: NewCheckout): Promise<void> {
  const expires = new Date(c.expires_at);
  await tx`
    insert into checkouts (checkout_id, user_id, status, currency, lines, subtotal_cents, shipping_cents, tax_cents,
                           total_cents, expires_at)
    values (${c.checkout_id}, ${c.user_id}, 'open', ${c.currency}, ${tx.json(c.lines as never)}, ${c.totals.subtotal_cents},
            ${c.totals.shipping_cents}, ${c.totals.tax_cents}, ${c.totals.total_cents}, ${expires})`;
  await writeHeld(tx, c.checkout_id, c.allocations, expires);
}

/**
 * Makes `allocations` the checkout's held reservations: each row takes its new quantity (held again if it had
 * been released), and held rows not in it are released. Stock is not touched here (see {@link moveReserved}).
 */
export async function writeHeld(tx: Tx, checkoutId: string, allocations: readonly Allocation[], expires: Date): Promise<void> {
  await tx`
    update checkout_reservations set status = 'released', updated_at = now()
    where checkout_id = ${checkoutId} and status = 'held'
      and (product_id, warehouse_id) not in (
        select * from unnest(${allocations.map((a) => a.product_id)}::uuid[], ${allocations.map((a) => a.warehouse_id)}::uuid[]))`;
  if (allocations.length === 0) return;
  await tx`
    insert into checkout_reservations (checkout_id, product_id, warehouse_id, quantity, status, expires_at)
    select ${checkoutId}, v.product_id, v.warehouse_id, v.quantity, 'held', ${expires}
    from unnest(${allocations.map((a) => a.product_id)}::uuid[], ${allocations.map((a) => a.warehouse_id)}::uuid[],
                ${allocations.map((a) => a.quantity)}::int[]) as v(product_id, warehouse_id, quantity)
    on conflict (checkout_id, product_id, warehouse_id)
    do update set quantity = excluded.quantity, status = 'held', updated_at = now()`;
}

/** The change of stock that turns the held units `from` into `to` (positive: reserve more). */
export const movesBetween = (from: readonly RowUnits[], to: readonly RowUnits[]): RowUnits[] => [
  ...to,
  ...from.map((f) => ({ ...f, quantity: -f.quantity })),
];

/**
 * Ends a locked checkout that holds stock: `status` (released or expired), its held reservations released and
 * their units back for sale.
 */
export async function releaseIn(tx: Tx, c: LoadedCheckout, status: 'released' | 'expired'): Promise<void> {
  const held = c.reservations.filter((r) => r.status === 'held');
  await moveReserved(tx, movesBetween(held, []));
  await tx`update checkout_reservations set status = 'released', updated_at = now()
           where checkout_id = ${c.snapshot.checkout_id} and status = 'held'`;
  await tx`update checkouts set status = ${status}, updated_at = now() where checkout_id = ${c.snapshot.checkout_id}`;
}

/** Today's facts of products for a checkout: price, currency, and whether a drop sells them. Absent: no product. */
export async function productFacts(db: Sql | Tx, ids: readonly string[]) {
  const rows = await db<
    { product_id: string; sku: string; title: string; price_cents: number; currency: string; drop_id: string | null }[]
  >`
    select p.product_id, p.sku, p.title, p.price_cents::float8 as price_cents, p.currency,
           (select d.drop_id from drops d where d.product_id = p.product_id and d.status in ('scheduled', 'open')
            order by d.starts_at limit 1) as drop_id
    from products p where p.product_id = any(${ids as string[]}::uuid[])`;
  return new Map(rows.map((r) => [r.product_id, { ...r, currency: r.currency.trim() }]));
}

/** Stores what an open checkout now costs: its lines as priced, its address, option and totals. */
export async function savePricing(db: Sql | Tx, checkoutId: string, p: Pricing): Promise<void> {
  await db`
    update checkouts set lines = ${db.json(p.lines as never)}, shipping_address_id = ${p.shipping_address_id},
      shipping_option = ${p.shipping_option}, subtotal_cents = ${p.totals.subtotal_cents},
      shipping_cents = ${p.totals.shipping_cents}, tax_cents = ${p.totals.tax_cents}, total_cents = ${p.totals.total_cents},
      updated_at = now()
    where checkout_id = ${checkoutId} and status = 'open'`;
}

/** A payment to start: the checkout's pending payment under its key, for the checkout's total as priced now. */
export interface NewCheckoutPayment {
  checkout_id: string;
  user_id: string;
  idempotency_key: string;
  amount_cents: number;
  currency: string;
  payment_method_id: string;
  pricing: Pricing;
}

/** What a checkout costs as priced at one moment. */
export interface Pricing {
  lines: PricedLine[];
  shipping_address_id: string | null;
  shipping_option: ShippingOption | null;
  totals: Totals;
}

/**
 * In the caller's transaction, which holds the checkout's row lock and has seen it open: the checkout takes the
 * pricing it is paid at and becomes `paying` with its pending payment.
 */
export async function claimForPayment(tx: Tx, p: NewCheckoutPayment): Promise<void> {
  await savePricing(tx, p.checkout_id, p.pricing);
  await tx`update checkouts set status = 'paying', updated_at = now() where checkout_id = ${p.checkout_id}`;
  await tx`
    insert into payments (payment_id, user_id, idempotency_key, amount_cents, currency, status, checkout_id, payment_method_id)
    values (${newId()}, ${p.user_id}, ${p.idempotency_key}, ${p.amount_cents}, ${p.currency}, 'pending', ${p.checkout_id},
            ${p.payment_method_id})`;
}

/** A pending payment the provider captured: succeeded, with the provider's id. */
export async function recordCaptured(sql: Sql, paymentId: string, providerPaymentId: string): Promise<void> {
  await sql`update payments set status = 'succeeded', provider_payment_id = ${providerPaymentId}, updated_at = now()
            where payment_id = ${paymentId} and status = 'pending'`;
}

/** A captured payment given back in full. */
export async function recordRefunded(sql: Sql, paymentId: string): Promise<void> {
  await sql`update payments set status = 'refunded', refunded_cents = amount_cents, updated_at = now()
            where payment_id = ${paymentId} and status = 'succeeded'`;
}

/** A paying checkout whose payment is over without an order (it failed) opens again, its reservations kept. */
export async function reopen(sql: Sql, checkoutId: string): Promise<void> {
  await sql`update checkouts c set status = 'open', updated_at = now()
            where c.checkout_id = ${checkoutId} and c.status = 'paying'
              and not exists (select 1 from payments p where p.checkout_id = c.checkout_id and p.status in ('pending', 'succeeded'))`;
}

/** The cart's copy was brought up to date after the checkout's order. */
export async function markCartRefreshed(sql: Sql, checkoutId: string): Promise<void> {
  await sql`update checkouts set cart_refreshed_at = now() where checkout_id = ${checkoutId} and cart_refreshed_at is null`;
}
