import type { ConsumerConfig } from 'kafkajs';
import type Stripe from 'stripe';
import { createSettlement } from '../admission/index.ts';
import { createCartReminders } from '../cart/index.ts';
import {
  connectCartCheckout,
  connectSaga,
  createCheckoutRecovery,
  createCheckoutSweeper,
  createExpiry,
  createRecovery,
  createSagaRunner,
  SAGA_STATUSES,
  startDecisionConsumer,
  stripeFromConfig,
  type CheckoutOptions,
  type Clock,
  type DropOrderSaga,
} from '../checkout/index.ts';
import { topics as defaults } from '../contracts/index.ts';
import { createOrders } from '../orders/index.ts';
import { createMailer, createOutboxRelay, startLoop, type Closer, type Mailer, type Runtime } from '../platform/index.ts';

/** Topic names; each defaults to contracts/topics.ts. */
export interface WorkerTopics {
  decisions?: string;
  intents?: string;
  orderEvents?: string;
  deadLetters?: string;
}

export interface OrderWorkerOptions {
  topics?: WorkerTopics;
  /** Consumer group on the decisions topic. Default `order-worker`. */
  groupId?: string;
  consumer?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  /** Default: from config (stripe-local when STRIPE_API_BASE is set). */
  stripe?: Stripe;
  /** Where cart reminders go. Default: from config (SMTP_URL, else .eml files in MAIL_DIR). */
  mailer?: Mailer;
  clock?: Clock;
  /**
   * Loop periods in ms. Defaults: expiry 1000, recovery 5000, settlement 5000, outbox 200, refunds 5000, reminders
   * 300000, and for cart checkouts the reservation sweeper 1000 and recovery 5000.
   */
  intervals?: {
    expiryMs?: number;
    recoveryMs?: number;
    settlementMs?: number;
    outboxMs?: number;
    checkoutExpiryMs?: number;
    checkoutRecoveryMs?: number;
    refundsMs?: number;
    remindersMs?: number;
  };
  /** Run the outbox relay in this process (default true). */
  relay?: boolean;
  /** How long one process may work a saga (a drop intent's, a cart checkout's) before another may take over. */
  leaseMs?: number;
  resendAfterMs?: number;
  pendingGraceMs?: number;
  checkout?: CheckoutOptions;
}

export interface OrderWorker {
  /** The held-intent checkout, for an edge in the same process. */
  checkoutHeldIntent: DropOrderSaga['checkoutHeldIntent'];
  /** One pass of each loop now, beside the loops' own schedule. */
  runOnce: {
    expiry(): Promise<number>;
    recovery(): Promise<number>;
    settlement(): Promise<string[]>;
    checkoutExpiry(): Promise<boolean>;
    checkoutRecovery(): Promise<number>;
    refunds(): Promise<number>;
    reminders(): Promise<unknown>;
  };
  /** Consumer first (its offsets committed), then loops, running sagas, relay, producer, mail. */
  closer: Closer;
}

/**
 * Starts the order worker on a runtime's clients: checkout's decision consumer (reconciliation, then sagas), hold
 * expiry and saga recovery, the cart checkouts' reservation sweeper and recovery, admission's drop settlement,
 * orders' retries of refunds the provider has not confirmed, cart's abandoned-cart reminders, and the outbox relay.
 * Resolves once the consumer has joined its group.
 */
export async function startOrderWorker(rt: Runtime, opts: OrderWorkerOptions = {}): Promise<OrderWorker> {
  const t = {
    decisions: opts.topics?.decisions ?? defaults.dropDecisions.name,
    intents: opts.topics?.intents ?? defaults.dropIntents.name,
    orderEvents: opts.topics?.orderEvents ?? defaults.orderEvents.name,
    deadLetters: opts.topics?.deadLetters ?? defaults.deadLetters.name,
  };
  const logger = rt.logger.child({ component: 'order-worker' });
  const clock = opts.clock ?? Date.now;
  const iv = opts.intervals ?? {};
  const stripe = opts.stripe ?? stripeFromConfig(rt.config);
  const orders = createOrders({
    sql: rt.sql,
    stripe,
    logger,
    returnWindowDays: rt.config.RETURN_WINDOW_DAYS,
    orderEventsTopic: t.orderEvents,
  });
  const mailer = opts.mailer ?? createMailer(rt.config);
  const reminders = createCartReminders({ sql: rt.sql, mailer, logger, config: rt.config });
  const { saga, sendCommand, producer, close: closeSaga } = await connectSaga(rt, {
    intentsTopic: t.intents,
    orderEventsTopic: t.orderEvents,
    stripe,
    clock,
    logger,
    bookkeepingMax: 6,
    leaseMs: opts.leaseMs,
    resendAfterMs: opts.resendAfterMs,
    checkout: opts.checkout,
  });
  const runner = createSagaRunner((id) => saga.advance(id), logger);
  const cart = connectCartCheckout(rt, { stripe, clock, logger, orderEventsTopic: t.orderEvents, bookkeepingMax: 2, leaseMs: opts.leaseMs });
  const cartRunner = createSagaRunner((id) => cart.saga.advance(id), logger);
  const kickCheckout = (id: string) => cartRunner.kick(id);
  const runOnce = {
    expiry: createExpiry({
      sql: rt.sql,
      redis: rt.redis,
      sendCommand,
      clock,
      logger,
      resendAfterMs: opts.resendAfterMs,
    }),
    recovery: createRecovery({
      sql: rt.sql,
      clock,
      kick: (id) => runner.kick(id),
      pendingGraceMs: opts.pendingGraceMs,
    }),
    settlement: createSettlement({ sql: rt.sql, redis: rt.redis, logger }),
    checkoutExpiry: createCheckoutSweeper({ sql: rt.sql, clock, kick: kickCheckout }),
    checkoutRecovery: createCheckoutRecovery({ sql: rt.sql, clock, kick: kickCheckout, pendingGraceMs: opts.pendingGraceMs }),
    refunds: orders.retryRefunds,
    reminders: () => reminders.run(clock()),
  };
  const relay = createOutboxRelay({
    sql: rt.sql,
    producer,
    logger,
    intervalMs: iv.outboxMs,
  });

  const consumer = await startDecisionConsumer({
    kafka: rt.kafka,
    sql: rt.sql,
    producer,
    logger,
    topic: t.decisions,
    groupId: opts.groupId ?? 'order-worker',
    deadLetterTopic: t.deadLetters,
    consumer: opts.consumer,
    onApplied: (applied) => {
      for (const d of applied) if (SAGA_STATUSES.has(d.status)) runner.kick(d.intent_id, d.status === 'reserved');
    },
  });
  const loops = [
    startLoop('expiry', iv.expiryMs ?? 1_000, runOnce.expiry, logger),
    startLoop('recovery', iv.recoveryMs ?? 5_000, runOnce.recovery, logger),
    startLoop('settlement', iv.settlementMs ?? 5_000, runOnce.settlement, logger),
    startLoop('checkout expiry', iv.checkoutExpiryMs ?? 1_000, runOnce.checkoutExpiry, logger),
    startLoop('checkout recovery', iv.checkoutRecoveryMs ?? 5_000, runOnce.checkoutRecovery, logger),
    startLoop('refunds', iv.refundsMs ?? 5_000, runOnce.refunds, logger),
    startLoop('cart reminders', iv.remindersMs ?? 300_000, runOnce.reminders, logger),
  ];
  const relaying = opts.relay ?? true ? relay.start() : undefined;

  const close = async () => {
    await consumer.stop();
    await Promise.all(loops.map((l) => l.stop()));
    await Promise.all([runner.stop(), cartRunner.stop()]);
    await relaying?.stop();
    await closeSaga();
    await cart.close();
    mailer.close();
  };
  return {
    checkoutHeldIntent: saga.checkoutHeldIntent,
    runOnce,
    closer: { name: 'order-worker', close },
  };
}
