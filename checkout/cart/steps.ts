import type Stripe from 'stripe';
import type { CheckoutCart } from '../../cart/index.ts';
import { isDataError, type Logger, type Sql } from '../../platform/index.ts';
import { createPaymentGateway, type ChargeOutcome } from '../gateway.ts';
import { cartRefundKey } from '../keys.ts';
import { recordFailed } from '../saga-repo.ts';
import type { Clock } from '../steps.ts';
import { insertOrder } from './order.ts';
import * as repo from './repo.ts';
import type { ShippingTables } from './shipping.ts';
import type { CheckoutStep } from './transitions.ts';

/** What the cart checkout saga is built from. */
export interface CartSagaDeps {
  sql: Sql;
  /** Leases go here: a pool whose commits need not wait for the disk (see checkout/bookkeeping.ts). */
  bookkeeping: Sql;
  stripe: Stripe;
  carts: CheckoutCart;
  clock: Clock;
  logger: Logger;
  /** Where order events are announced (through the outbox). */
  orderEventsTopic: string;
  tables: ShippingTables;
}

/** After a step: go on with the next one, or stop because this one must be retried later. */
export type CartStepResult = 'continue' | 'stop';

/** The I/O of each cart checkout saga step; each is idempotent, so running one twice changes nothing more. */
export function createCartSteps(d: CartSagaDeps) {
  const gateway = createPaymentGateway(d.stripe);
  const log = d.logger;

  /** Charges the checkout's pending payment under its own key (again, for an outcome that was lost) and records it. */
  async function charge(c: repo.LoadedCheckout): Promise<ChargeOutcome> {
    const p = c.payment!;
    const checkout_id = c.snapshot.checkout_id;
    if (p.payment_method_id === null) return { kind: 'stuck', message: `payment ${p.payment_id} has no payment method` };
    const outcome = await gateway.charge({
      idempotency_key: p.idempotency_key,
      amount_cents: p.amount_cents,
      currency: p.currency,
      payment_method_id: p.payment_method_id,
      metadata: { checkout_id, user_id: p.user_id },
    });
    switch (outcome.kind) {
      case 'succeeded':
        await repo.recordCaptured(d.sql, p.payment_id, outcome.provider_payment_id);
        break;
      case 'declined':
        await recordFailed(d.sql, p.payment_id, outcome.code);
        log.info({ checkout_id, code: outcome.code }, 'payment declined');
        break;
      case 'retry':
      case 'stuck':
        log[outcome.kind === 'stuck' ? 'error' : 'warn']({ checkout_id, err: outcome.message }, 'payment outcome unknown; will retry');
        break;
    }
    return outcome;
  }

  /**
   * The order, in one transaction that locks the cart, then the checkout (the order every checkout path keeps):
   * see {@link insertOrder}. Changes nothing unless the checkout is still paying with its captured payment and no
   * order. An order the database refuses for its data (it would be refused again) releases the checkout instead,
   * so that its payment is refunded.
   */
  async function createOrder(c: repo.LoadedCheckout): Promise<CartStepResult> {
    const checkout_id = c.snapshot.checkout_id;
    const now = d.clock();
    try {
      await d.sql.begin(async (tx) => {
        await d.carts.lock(tx, c.user_id, now);
        const locked = await repo.loadCheckout(tx, checkout_id, true);
        const s = locked?.snapshot;
        if (!locked || s?.status !== 'paying' || s.payment?.status !== 'succeeded' || s.order_id !== null) return;
        await d.carts.takeBought(tx, c.user_id, locked.reservations, now);
        await insertOrder(tx, locked, { tables: d.tables, topic: d.orderEventsTopic, now });
      });
    } catch (err) {
      if (!isDataError(err)) throw err;
      log.error({ err, checkout_id }, 'the order of a paid checkout was refused; releasing it for a refund');
      await d.sql.begin(async (tx) => {
        const locked = await repo.loadCheckout(tx, checkout_id, true);
        if (locked?.snapshot.status === 'paying' && locked.snapshot.order_id === null) await repo.releaseIn(tx, locked, 'released');
      });
    }
    return 'continue';
  }

  async function refund(c: repo.LoadedCheckout): Promise<CartStepResult> {
    const p = c.payment!;
    const checkout_id = c.snapshot.checkout_id;
    if (p.provider_payment_id === null) return 'stop';
    const outcome = await gateway.refund({
      idempotency_key: cartRefundKey(checkout_id),
      provider_payment_id: p.provider_payment_id,
      metadata: { checkout_id, reason: c.snapshot.status },
    });
    if (outcome.kind !== 'refunded') {
      log[outcome.kind === 'stuck' ? 'error' : 'warn']({ checkout_id, err: outcome.message }, 'refund failed; will retry');
      return 'stop';
    }
    await repo.recordRefunded(d.sql, p.payment_id);
    log.warn({ checkout_id, status: c.snapshot.status }, 'a payment its checkout could not turn into an order was refunded');
    return 'continue';
  }

  async function expire(checkoutId: string): Promise<void> {
    await d.sql.begin(async (tx) => {
      const locked = await repo.loadCheckout(tx, checkoutId, true);
      if (locked?.snapshot.status === 'open' && locked.expires_at <= d.clock()) await repo.releaseIn(tx, locked, 'expired');
    });
  }

  /** Runs one step for a loaded checkout. */
  async function run(step: CheckoutStep, c: repo.LoadedCheckout): Promise<CartStepResult> {
    const checkout_id = c.snapshot.checkout_id;
    switch (step.kind) {
      case 'charge': {
        const outcome = await charge(c);
        return outcome.kind === 'succeeded' || outcome.kind === 'declined' ? 'continue' : 'stop';
      }
      case 'create_order':
        return createOrder(c);
      case 'refund':
        return refund(c);
      case 'reopen':
        await repo.reopen(d.sql, checkout_id);
        return 'continue';
      case 'expire':
        await expire(checkout_id);
        return 'continue';
      case 'refresh_cart':
        try {
          await d.carts.refreshCopy(c.user_id);
        } catch (err) {
          log.warn({ err, checkout_id }, "the cart's copy was not refreshed after its order; will retry");
          return 'stop';
        }
        await repo.markCartRefreshed(d.sql, checkout_id);
        return 'continue';
      case 'wait':
      case 'done':
        return 'stop';
    }
  }

  return { run };
}
