import type Stripe from 'stripe';
import { dropIntents, type Requested } from '../admission/index.ts';
import type { DropCommand } from '../contracts/index.ts';
import { batched, batchedWrites, sagaSteps, type Logger, type Sql } from '../platform/index.ts';
import { createPaymentGateway, type ChargeOutcome } from './gateway.ts';
import { refundKey } from './keys.ts';
import * as store from './saga-repo.ts';
import type { Step } from './transitions.ts';

/** Sends a command to the sequencer on the drop's own partition of `drop.intents`; resolves once Kafka has it. */
export type SendCommand = (cmd: DropCommand, partition: number) => Promise<void>;
/** Epoch milliseconds. */
export type Clock = () => number;

/** What the drop-order saga is built from. */
export interface SagaDeps {
  sql: Sql;
  /**
   * Where bookkeeping goes that a database crash may lose without harm (leases, when a command was last sent): a
   * pool whose commits need not wait for the disk.
   */
  bookkeeping: Sql;
  stripe: Stripe;
  sendCommand: SendCommand;
  clock: Clock;
  logger: Logger;
  /** Where order events are announced (through the outbox). Default `order.events`. */
  orderEventsTopic?: string;
  /** How long one process may advance an intent before another may take over. Default 30 s. */
  leaseMs?: number;
  /** A purchase or release command is sent again when no decision followed for this long. Default 15 s. */
  resendAfterMs?: number;
}

/**
 * After a step: go on with the next one; stop because this one must be retried later; or `settled`: nothing
 * more until the sequencer decides (a command was sent; its decision kicks the saga again).
 */
export type StepResult = 'continue' | 'stop' | 'settled';

/** The I/O of each saga step; each is idempotent, so running one twice changes nothing more. */
export function createSteps(d: SagaDeps & { orderEventsTopic: string }) {
  const gateway = createPaymentGateway(d.stripe);
  const log = d.logger;
  const topic = d.orderEventsTopic;

  // Statements of the same turn shared by the sagas a batch of decisions starts together.
  const insertPending = batched((ps: store.NewPayment[]) => store.insertPendingPayments(d.sql, ps));
  const recordPaid = batchedWrites((ps: store.Paid[]) => store.recordPaid(d.sql, topic, ps));
  const confirmOrder = batchedWrites((cs: store.Confirmation[]) => store.confirmOrders(d.sql, topic, cs));
  const markRequested = batchedWrites((marks: Requested[]) => dropIntents.markRequested(d.bookkeeping, marks));

  /** What an intent's order buys. */
  const bought = (l: store.Loaded) => ({ product: l.drop.product, quantity: l.snapshot.quantity });

  /** Charges a pending payment under its own key and records the outcome. */
  async function chargePayment(l: store.Loaded, p: store.PaymentRow): Promise<ChargeOutcome> {
    const intentId = l.snapshot.intent_id;
    if (p.payment_method_id === null)
      return { kind: 'stuck', message: `payment ${p.payment_id} has no payment method` };
    const outcome = await gateway.charge({
      idempotency_key: p.idempotency_key,
      amount_cents: p.amount_cents,
      currency: p.currency,
      payment_method_id: p.payment_method_id,
      metadata: { intent_id: intentId, drop_id: l.snapshot.drop_id, user_id: p.user_id },
    });
    switch (outcome.kind) {
      case 'succeeded':
        await recordPaid({ ...bought(l), payment: p, provider_payment_id: outcome.provider_payment_id, now: d.clock() });
        break;
      case 'declined':
        await store.recordFailed(d.sql, p.payment_id, outcome.code);
        log.info({ intent_id: intentId, code: outcome.code }, 'payment declined');
        break;
      case 'retry':
        log.warn({ intent_id: intentId, err: outcome.message }, 'payment outcome unknown; will retry');
        break;
      case 'stuck':
        log.error({ intent_id: intentId, err: outcome.message }, 'payment cannot proceed; will retry');
        break;
    }
    return outcome;
  }

  /** Starts (for an automatic intent) or resumes the intent's charge. */
  async function charge(l: store.Loaded): Promise<StepResult> {
    const s = l.snapshot;
    if (l.payment?.status !== 'pending') {
      if (s.payment_method_id === null) return 'stop';
      const mine = await insertPending({
        intent_id: s.intent_id,
        user_id: s.user_id,
        idempotency_key: s.intent_id,
        amount_cents: l.drop.price_cents * s.quantity,
        currency: l.drop.currency,
        payment_method_id: s.payment_method_id,
      });
      if (mine) {
        // Inserted: the intent's one live payment is this pending one.
        l = { ...l, payment: mine };
      } else {
        const again = await store.loadIntent(d.sql, s.intent_id);
        // Someone else recorded a payment meanwhile: the next step is decided from what is there now.
        if (again?.payment?.status !== 'pending') return 'continue';
        l = again;
      }
    }
    const outcome = await chargePayment(l, l.payment!);
    return outcome.kind === 'succeeded' || outcome.kind === 'declined' ? 'continue' : 'stop';
  }

  async function send(cmd: DropCommand, l: store.Loaded, what: 'purchase' | 'release'): Promise<StepResult> {
    await d.sendCommand(cmd, l.drop.kafka_partition);
    await markRequested({ intent_id: l.snapshot.intent_id, what, at: cmd.at });
    return 'settled';
  }

  async function refund(l: store.Loaded): Promise<StepResult> {
    const p = l.payment;
    const s = l.snapshot;
    if (p?.provider_payment_id == null) return 'stop';
    const outcome = await gateway.refund({
      idempotency_key: refundKey(s.intent_id),
      provider_payment_id: p.provider_payment_id,
      metadata: { intent_id: s.intent_id, reason: s.status },
    });
    if (outcome.kind !== 'refunded') {
      log[outcome.kind === 'stuck' ? 'error' : 'warn'](
        { intent_id: s.intent_id, err: outcome.message },
        'refund failed; will retry',
      );
      return 'stop';
    }
    await store.recordRefunded(d.sql, {
      payment_id: p.payment_id,
      intent_id: s.intent_id,
      reason: s.status,
      now: d.clock(),
      topic,
    });
    log.info({ intent_id: s.intent_id, status: s.status }, 'hold lost after payment: refunded');
    return 'continue';
  }

  /** Runs one step for a loaded intent, timed by step and outcome (`error` when it throws). */
  async function run(step: Step, l: store.Loaded): Promise<StepResult> {
    const end = sagaSteps.startTimer({ step: step.kind });
    try {
      const outcome = await runStep(step, l);
      end({ outcome });
      return outcome;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  }

  async function runStep(step: Step, l: store.Loaded): Promise<StepResult> {
    const s = l.snapshot;
    const base = { v: 1, drop_id: s.drop_id, intent_id: s.intent_id, at: d.clock() } as const;
    switch (step.kind) {
      case 'charge':
        return charge(l);
      case 'create_order': {
        const p = l.payment!;
        await recordPaid({ ...bought(l), payment: p, provider_payment_id: p.provider_payment_id ?? '', now: d.clock() });
        return 'continue';
      }
      case 'request_purchase':
        return send({ type: 'purchase', ...base, order_id: s.order!.order_id }, l, 'purchase');
      case 'request_release':
        return send({ type: 'release', ...base, reason: step.reason }, l, 'release');
      case 'confirm_order':
        await confirmOrder({ intent_id: s.intent_id, now: d.clock(), order: l.order! });
        return 'continue';
      case 'refund':
        return refund(l);
      case 'close_order':
        await store.closeOrder(d.sql, { intent_id: s.intent_id, payment_id: l.payment!.payment_id, reason: s.status, now: d.clock(), topic });
        return 'continue';
      case 'wait':
      case 'done':
        return 'stop';
    }
  }

  return { run, chargePayment };
}

export type Steps = ReturnType<typeof createSteps>;
