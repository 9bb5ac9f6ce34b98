import type { Producer } from 'kafkajs';
import type Stripe from 'stripe';
import { topics } from '../contracts/index.ts';
import { reliableProducer, type Closer, type Logger, type Runtime } from '../platform/index.ts';
import { createBookkeepingSql } from './bookkeeping.ts';
import { createCommandSender } from './commands.ts';
import type { CheckoutOptions, HeldCheckout } from './held-checkout.ts';
import { createDropOrderSaga, type DropOrderSaga } from './saga.ts';
import type { Clock, SendCommand } from './steps.ts';
import { stripeFromConfig } from './stripe.ts';

/**
 * The drop-order saga with what it runs on: an idempotent producer for its commands (one request in flight, so
 * sequence numbers stay gapless; others may send on it too) and a bookkeeping pool of `bookkeepingMax`
 * connections. `close` disconnects the producer and ends the pool.
 */
export async function connectSaga(
  rt: Runtime,
  o: {
    intentsTopic: string;
    orderEventsTopic?: string | undefined;
    stripe?: Stripe | undefined;
    clock: Clock;
    logger: Logger;
    bookkeepingMax: number;
    leaseMs?: number | undefined;
    resendAfterMs?: number | undefined;
    checkout?: CheckoutOptions | undefined;
  },
): Promise<{ saga: DropOrderSaga; sendCommand: SendCommand; producer: Producer; close: () => Promise<void> }> {
  const producer = reliableProducer(rt.kafka);
  await producer.connect();
  const bookkeeping = createBookkeepingSql(rt.config, o.bookkeepingMax);
  const sendCommand = createCommandSender(producer, o.intentsTopic);
  const saga = createDropOrderSaga({
    sql: rt.sql,
    bookkeeping,
    stripe: o.stripe ?? stripeFromConfig(rt.config),
    sendCommand,
    clock: o.clock,
    logger: o.logger,
    orderEventsTopic: o.orderEventsTopic,
    leaseMs: o.leaseMs,
    resendAfterMs: o.resendAfterMs,
    checkout: o.checkout,
  });
  return {
    saga,
    sendCommand,
    producer,
    close: async () => {
      await producer.disconnect();
      await bookkeeping.end({ timeout: 5 });
    },
  };
}

/**
 * The held-intent checkout for an edge running without the order worker in its process
 * (`POST /api/v1/orders/checkout`); see {@link HeldCheckout} for what it guarantees. Its closer disconnects its
 * Kafka producer.
 */
export async function createDropCheckout(
  rt: Runtime,
  opts: { intentsTopic?: string; orderEventsTopic?: string; stripe?: Stripe; clock?: Clock; checkout?: CheckoutOptions } = {},
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
