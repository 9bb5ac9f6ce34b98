import type Stripe from 'stripe';
import type { CheckoutOptions, Clock, HeldCheckout } from '../checkout/index.ts';
import { topics } from '../contracts/index.ts';
import type { Runtime } from '../platform/runtime.ts';
import type { Closer } from '../platform/shutdown.ts';
import { connectSaga } from './saga-parts.ts';

export { startOrderWorker, type OrderWorker, type OrderWorkerOptions, type WorkerTopics } from './worker.ts';
export { stripeFromConfig } from './stripe.ts';
export type { CheckoutRequest, CheckoutResult, HeldCheckout } from '../checkout/index.ts';

/**
 * The held-intent checkout for an edge running without the worker in its process (`POST /api/v1/orders/checkout`);
 * see {@link HeldCheckout} for what it guarantees. Its closer disconnects its Kafka producer.
 */
export async function createDropCheckout(
  rt: Runtime,
  opts: {
    intentsTopic?: string;
    orderEventsTopic?: string;
    stripe?: Stripe;
    clock?: Clock;
    checkout?: CheckoutOptions;
  } = {},
): Promise<{ checkoutHeldIntent: HeldCheckout; closer: Closer }> {
  const { saga, close } = await connectSaga(rt, {
    intentsTopic: opts.intentsTopic ?? topics.dropIntents.name,
    orderEventsTopic: opts.orderEventsTopic,
    stripe: opts.stripe,
    clock: opts.clock ?? Date.now,
    logger: rt.logger.child({ component: 'checkout' }),
    bookkeepingMax: 2,
    checkout: opts.checkout,
  });
  return { checkoutHeldIntent: saga.checkoutHeldIntent, closer: { name: 'checkout', close } };
}
