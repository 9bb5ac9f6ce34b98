import { topics } from '../contracts/index.ts';
import { createHeldCheckout, type CheckoutOptions, type HeldCheckout } from './held-checkout.ts';
import { createSagaLease } from './lease.ts';
import { createSteps, type SagaDeps } from './steps.ts';
import { batchedLookup } from '../platform/index.ts';
import { loadIntents } from './saga-repo.ts';
import { nextStep } from './transitions.ts';

/**
 * After advancing an intent: `settled` when nothing more can be done now (waiting for a decision, the shopper,
 * or done), `blocked` when a step must be retried later (payment provider or mail unavailable), `busy` when
 * another process holds the intent's lease.
 */
export type AdvanceResult = 'settled' | 'blocked' | 'busy';

export interface DropOrderSaga {
  /**
   * Takes the intent as far as its state allows: charge, order, purchase command and confirmation, or
   * release / refund. Safe to call any number of times from any number of processes: each step is keyed and
   * idempotent, and a per-intent lease keeps two processes from working one intent at once.
   */
  advance(intentId: string): Promise<AdvanceResult>;
  /** The edge's `POST /api/v1/orders/checkout` for a held intent; see {@link HeldCheckout}. */
  checkoutHeldIntent: HeldCheckout;
}

/** Guards on the number of steps one advance may take (a step loop would otherwise be a bug running forever). */
const MAX_STEPS = 12;

/**
 * The drop-order saga over PostgreSQL (state), Stripe (payments), Kafka (commands to the sequencer) and mail.
 * Invariants: nothing is charged twice (one payment key per intent or per checkout key, at most one live payment
 * per intent); every captured payment gets an order, and that order is either confirmed after the sequencer's
 * `purchased` decision or refunded.
 */
export function createDropOrderSaga(deps: SagaDeps & { checkout?: CheckoutOptions }): DropOrderSaga {
  const d = { ...deps, orderEventsTopic: deps.orderEventsTopic ?? topics.orderEvents.name };
  const transition = { resendAfterMs: deps.resendAfterMs ?? 15_000 };
  const steps = createSteps(d);
  const lease = createSagaLease(d.bookkeeping, deps.leaseMs ?? 30_000);
  // The sagas a batch of decisions starts move in step: their reads of the same turn share one statement.
  const load = batchedLookup((ids) => loadIntents(d.sql, ids));

  /** Runs steps while the lease is held by `owner`. */
  async function drive(intentId: string, owner: string): Promise<AdvanceResult> {
    for (let i = 0; i < MAX_STEPS; i++) {
      const loaded = await load(intentId);
      if (!loaded) return 'settled';
      const step = nextStep(loaded.snapshot, d.clock(), transition);
      if (step.kind === 'done' || step.kind === 'wait') return 'settled';
      const result = await steps.run(step, loaded);
      if (result === 'stop') return 'blocked';
      if (result === 'settled') return 'settled';
      if (!(await lease.renew(intentId, owner))) return 'busy';
    }
    d.logger.error({ intent_id: intentId }, 'saga took too many steps at once');
    return 'blocked';
  }

  async function advance(intentId: string): Promise<AdvanceResult> {
    const owner = await lease.acquire(intentId);
    if (owner === undefined) return 'busy';
    try {
      return await drive(intentId, owner);
    } finally {
      await lease.release(intentId, owner);
    }
  }

  const checkoutHeldIntent = createHeldCheckout({ ...d, steps, lease, options: deps.checkout ?? {} });
  return { advance, checkoutHeldIntent };
}
