import type Stripe from 'stripe';
import { createCheckoutCart } from '../../cart/index.ts';
import { topics } from '../../contracts/index.ts';
import type { Config, Logger, Runtime, Sql } from '../../platform/index.ts';
import { createBookkeepingSql } from '../bookkeeping.ts';
import { createIdempotencyKeys, runOnce } from '../idempotency.ts';
import { operationHash } from '../keys.ts';
import { createSagaLease } from '../lease.ts';
import type { Clock } from '../steps.ts';
import { stripeFromConfig } from '../stripe.ts';
import { createBegin } from './begin.ts';
import { createComplete, type CompleteRequest, type OrderAnswer } from './complete.ts';
import { createEdits, type CheckoutPatch, type ShippingOptionsView } from './edit.ts';
import { createCartCheckoutSaga, type CartCheckoutSaga } from './saga.ts';
import type { CartSagaDeps } from './steps.ts';
import type { CheckoutView } from './view.ts';

/** The cart checkout as the API offers it to a signed-in user; every call names the user. */
export interface CartCheckout {
  /** POST /checkouts: see createBegin. The same Idempotency-Key answers the first answer again. */
  begin(userId: string, idempotencyKey: string): Promise<CheckoutView>;
  get(userId: string, checkoutId: string): Promise<CheckoutView>;
  update(userId: string, checkoutId: string, patch: CheckoutPatch): Promise<CheckoutView>;
  shippingOptions(userId: string, checkoutId: string): Promise<ShippingOptionsView>;
  /** POST /checkouts/{id}/complete: see createComplete. */
  complete(req: CompleteRequest): Promise<OrderAnswer>;
  release(userId: string, checkoutId: string): Promise<CheckoutView>;
}

export type CartCheckoutConfig = Pick<Config, 'RESERVATION_TTL_SECONDS' | 'SHIPPING_ZONES' | 'SHIPPING_RATES' | 'TAX_RATES'>;

export interface CartCheckoutDeps extends Omit<CartSagaDeps, 'tables'> {
  config: CartCheckoutConfig;
  /** How long one process may work a checkout before another may take over. Default 30 s. */
  leaseMs?: number | undefined;
  /** How long a request waits for another under the same key, or for the checkout's lease. Default 10 s. */
  sameKeyWaitMs?: number;
  /** A claim on a key older than this, with no answer, belongs to a dead process and is taken over. Default 30 s. */
  staleClaimMs?: number;
}

/** The cart checkout's API and its saga (for the loops that advance it) on the given clients. */
export function createCartCheckout(d: CartCheckoutDeps): { checkout: CartCheckout; saga: CartCheckoutSaga } {
  const tables = d.config;
  const saga = createCartCheckoutSaga({ ...d, tables, lease: createSagaLease(d.bookkeeping, d.leaseMs ?? 30_000) });
  const keys = createIdempotencyKeys(d.sql, d.staleClaimMs ?? 30_000);
  const sameKeyWaitMs = d.sameKeyWaitMs ?? 10_000;
  const begin = createBegin({ ...d, tables, ttlSeconds: d.config.RESERVATION_TTL_SECONDS });
  const edits = createEdits({ ...d, tables });
  const checkout: CartCheckout = {
    begin: (userId, key) =>
      runOnce(
        keys,
        { user_id: userId, key, hash: operationHash('checkouts.create'), status: 201, waitMs: sameKeyWaitMs },
        () => begin(userId),
      ),
    get: edits.get,
    update: edits.update,
    shippingOptions: edits.shippingOptions,
    complete: createComplete({ ...d, saga, keys, tables, sameKeyWaitMs }),
    release: edits.release,
  };
  return { checkout, saga };
}

/**
 * The cart checkout on a runtime's clients, with a bookkeeping pool of `bookkeepingMax` connections for its leases;
 * `close` ends that pool.
 */
export function connectCartCheckout(
  rt: Runtime,
  o: {
    stripe?: Stripe | undefined;
    clock?: Clock;
    logger: Logger;
    orderEventsTopic?: string | undefined;
    bookkeepingMax: number;
    leaseMs?: number | undefined;
  },
): { checkout: CartCheckout; saga: CartCheckoutSaga; close: () => Promise<void> } {
  const bookkeeping: Sql = createBookkeepingSql(rt.config, o.bookkeepingMax);
  const made = createCartCheckout({
    sql: rt.sql,
    bookkeeping,
    stripe: o.stripe ?? stripeFromConfig(rt.config),
    carts: createCheckoutCart({ sql: rt.sql, redis: rt.redis }),
    clock: o.clock ?? Date.now,
    logger: o.logger,
    orderEventsTopic: o.orderEventsTopic ?? topics.orderEvents.name,
    config: rt.config,
    leaseMs: o.leaseMs,
  });
  return { ...made, close: () => bookkeeping.end({ timeout: 5 }) };
}
