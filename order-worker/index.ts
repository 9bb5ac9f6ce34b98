import { Partitioners } from 'kafkajs';
import type Stripe from 'stripe';
import {
  createDropOrderSaga,
  type CheckoutOptions,
  type Clock,
  type HeldCheckout,
} from '../checkout/index.ts';
import { topics } from '../contracts/index.ts';
import { createMailer } from '../platform/mail.ts';
import type { Runtime } from '../platform/runtime.ts';
import type { Closer } from '../platform/shutdown.ts';
import { createBookkeepingSql } from './bookkeeping.ts';
import { createCommandSender } from './commands.ts';
import { stripeFromConfig } from './stripe.ts';

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
  const producer = rt.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const mailer = createMailer(rt.config);
  const bookkeeping = createBookkeepingSql(rt.config, 2);
  const saga = createDropOrderSaga({
    sql: rt.sql,
    bookkeeping,
    stripe: opts.stripe ?? stripeFromConfig(rt.config),
    sendCommand: createCommandSender(producer, opts.intentsTopic ?? topics.dropIntents.name),
    clock: opts.clock ?? Date.now,
    logger: rt.logger.child({ component: 'checkout' }),
    mailer,
    orderEventsTopic: opts.orderEventsTopic,
    checkout: opts.checkout,
  });
  const close = async () => {
    await producer.disconnect();
    await bookkeeping.end({ timeout: 5 });
    mailer.close();
  };
  return { checkoutHeldIntent: saga.checkoutHeldIntent, closer: { name: 'checkout', close } };
}
