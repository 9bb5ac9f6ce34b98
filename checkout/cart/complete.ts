import { AppError, type Sql } from '../../platform/index.ts';
import { runOnce, type IdempotencyKeys } from '../idempotency.ts';
import { cartPaymentKey, operationHash } from '../keys.ts';
import { paymentByKey } from '../saga-repo.ts';
import type { Clock } from '../steps.ts';
import { priceChanges, type PricedLine } from './pricing.ts';
import { claimForPayment, loadCheckout, productFacts, savePricing } from './repo.ts';
import { assertOpen, ownCheckout, unavailable, unavailableLines } from './rules.ts';
import type { CartCheckoutSaga } from './saga.ts';
import type { LineAnswer } from './view.ts';
import { priceCheckout, type ShippingTables } from './shipping.ts';
import { destinationOf } from './zones.ts';

export interface CompleteRequest {
  user_id: string;
  checkout_id: string;
  payment_method_id: string;
  /** The total the shopper agreed to pay; another total now is a conflict, and nothing is charged. */
  expected_total_cents: number;
  /** The request's Idempotency-Key header. */
  idempotency_key: string;
}

/** The order a completed checkout became, as its first answer gives it. */
export interface OrderAnswer {
  order_id: string;
  status: string;
  items: (LineAnswer & { warehouse_id: string })[];
  totals: { subtotal_cents: number; shipping_cents: number; tax_cents: number; total_cents: number; currency: string };
  /** `YYYY-MM-DD` */
  estimated_delivery: string | null;
}

export interface CompleteDeps {
  sql: Sql;
  saga: CartCheckoutSaga;
  keys: IdempotencyKeys;
  tables: ShippingTables;
  clock: Clock;
  /** How long a request waits for another one under the same key, and for the checkout's lease. */
  sameKeyWaitMs: number;
}

/** The order of a checkout, if it has one. */
async function orderOf(sql: Sql, checkoutId: string): Promise<OrderAnswer | undefined> {
  const [o] = await sql<(OrderAnswer['totals'] & Omit<OrderAnswer, 'totals'>)[]>`
    select o.order_id, o.status, o.subtotal_cents::float8 as subtotal_cents, o.shipping_cents::float8 as shipping_cents,
           o.tax_cents::float8 as tax_cents, o.total_cents::float8 as total_cents, trim(o.currency) as currency,
           o.estimated_delivery::text as estimated_delivery,
           (select json_agg(json_build_object('product_id', i.product_id, 'sku', i.sku, 'title', i.title,
                                              'quantity', i.quantity, 'unit_price_cents', i.unit_price_cents,
                                              'line_total_cents', i.quantity * i.unit_price_cents,
                                              'warehouse_id', i.warehouse_id) order by i.line_no)
            from order_items i where i.order_id = o.order_id) as items
    from orders o where o.checkout_id = ${checkoutId}`;
  if (!o) return undefined;
  const { subtotal_cents, shipping_cents, tax_cents, total_cents, currency } = o;
  return {
    order_id: o.order_id,
    status: o.status,
    items: o.items,
    totals: { subtotal_cents, shipping_cents, tax_cents, total_cents, currency },
    estimated_delivery: o.estimated_delivery,
  };
}

/**
 * Pays for a checkout and makes its order. Guarantees: at most one charge per (checkout, Idempotency-Key) however
 * often and however concurrently it is called; the same key and body answer the first answer again, another body
 * with the key is unprocessable. Before charging it prices the checkout again (today's prices, shipping, tax): a
 * total other than `expected_total_cents` is a conflict naming the differences, the checkout then showing the new
 * prices, and nothing is charged. A declined card is unprocessable and the checkout stays open, its stock held, for
 * another try under a new key. Throws not_found (not the user's checkout), gone (expired or released), conflict
 * (being paid for, already an order, no address, a line no longer for sale), unavailable (the payment provider did
 * not answer: retry with the same key; the recovery loop finishes it meanwhile).
 */
export function createComplete(d: CompleteDeps): (req: CompleteRequest) => Promise<OrderAnswer> {
  /**
   * Under the checkout's row lock: prices the open checkout again and, at the expected total, makes it `paying`
   * with its pending payment; at another total, keeps the new prices and throws the differences.
   */
  async function start(req: CompleteRequest, paymentKey: string): Promise<void> {
    const moved = await d.sql.begin(async (tx) => {
      const now = d.clock();
      const c = ownCheckout(await loadCheckout(tx, req.checkout_id, true), req.user_id);
      assertOpen(c.snapshot, now);
      const to = c.address && destinationOf(d.tables.SHIPPING_ZONES, c.address.country, c.address.region);
      if (to === null || c.shipping_option === null) {
        throw new AppError('conflict', 'choose a shipping address we ship to before paying (PATCH the checkout)', {
          details: { reason: 'no_address' },
        });
      }
      const facts = await productFacts(tx, c.lines.map((l) => l.product_id));
      const problems = unavailableLines(c.lines, facts, c.currency);
      if (problems.length > 0) throw unavailable(problems, 'nothing was charged');
      const lines: PricedLine[] = c.lines.map((l) => ({ ...l, unit_price_cents: facts.get(l.product_id)!.price_cents }));
      const { totals } = priceCheckout(d.tables, { lines, sent: c.reservations, to, option: c.shipping_option }, now);
      const pricing = { lines, shipping_address_id: c.shipping_address_id, shipping_option: c.shipping_option, totals };
      if (totals.total_cents !== req.expected_total_cents) {
        await savePricing(tx, req.checkout_id, pricing);
        return {
          reason: 'total_changed',
          expected_total_cents: req.expected_total_cents,
          was: c.totals,
          now: { ...totals, currency: c.currency },
          price_changes: priceChanges(c.lines, lines),
        };
      }
      await claimForPayment(tx, {
        checkout_id: req.checkout_id,
        user_id: req.user_id,
        idempotency_key: paymentKey,
        amount_cents: totals.total_cents,
        currency: c.currency,
        payment_method_id: req.payment_method_id,
        pricing,
      });
      return null;
    });
    if (moved) throw new AppError('conflict', 'the total has changed since it was shown; nothing was charged', { details: moved });
  }

  /** Advances the checkout's saga under its lease, then answers from what this request's payment became. */
  async function settle(req: CompleteRequest, paymentKey: string): Promise<OrderAnswer> {
    const owner = await d.saga.lease.acquire(req.checkout_id, d.sameKeyWaitMs);
    if (owner === undefined) {
      throw new AppError('conflict', 'this checkout is being processed; retry with the same Idempotency-Key', { retriable: true });
    }
    try {
      await d.saga.drive(req.checkout_id, owner);
    } finally {
      await d.saga.lease.release(req.checkout_id, owner);
    }
    const p = await paymentByKey(d.sql, paymentKey);
    switch (p?.status) {
      case 'failed':
        throw new AppError('unprocessable', 'the card was declined; try again (another card) with a new Idempotency-Key', {
          details: { reason: 'card_declined', code: p.failure_code },
        });
      case 'refunded':
        throw new AppError('gone', 'the checkout could not become an order; the payment was refunded', { details: { reason: 'refunded' } });
      case 'succeeded': {
        const order = await orderOf(d.sql, req.checkout_id);
        if (order) return order;
        break;
      }
      case 'pending':
      case undefined:
        break;
    }
    throw new AppError('unavailable', 'the payment is not settled yet; retry with the same Idempotency-Key', { retriable: true });
  }

  async function perform(req: CompleteRequest): Promise<OrderAnswer> {
    const paymentKey = cartPaymentKey(req.checkout_id, req.idempotency_key);
    const mine = await paymentByKey(d.sql, paymentKey);
    if (mine && mine.payment_method_id !== req.payment_method_id) {
      throw new AppError('unprocessable', 'This Idempotency-Key was used with a different request body.');
    }
    if (mine) ownCheckout(await loadCheckout(d.sql, req.checkout_id), req.user_id);
    else await start(req, paymentKey);
    return settle(req, paymentKey);
  }

  return (req) =>
    runOnce(
      d.keys,
      {
        user_id: req.user_id,
        key: req.idempotency_key,
        hash: operationHash('checkouts.complete', req.checkout_id, req.payment_method_id, req.expected_total_cents),
        status: 201,
        waitMs: d.sameKeyWaitMs,
      },
      () => perform(req),
    );
}
