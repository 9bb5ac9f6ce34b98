import type { SagaLease } from '../lease.ts';
import type { AdvanceResult } from '../saga.ts';
import { loadCheckout, type LoadedCheckout } from './repo.ts';
import { createCartSteps, type CartSagaDeps } from './steps.ts';
import { nextCheckoutStep } from './transitions.ts';

/** Guards on the number of steps one advance may take (a step loop would otherwise be a bug running forever). */
const MAX_STEPS = 10;

export interface CartCheckoutSaga {
  /**
   * Takes the checkout as far as its state allows now (see nextCheckoutStep): resolves its payment, makes its
   * order or refunds, reopens, expires, refreshes the cart. Safe to call any number of times from any number of
   * processes: each step is idempotent and the checkout's lease keeps two processes from working it at once.
   * `settled`: nothing more to do now; `blocked`: a step must be retried later; `busy`: another process holds it.
   */
  advance(checkoutId: string): Promise<AdvanceResult>;
  /** {@link advance} for a caller that already holds the checkout's lease; answers the checkout as it is left. */
  drive(checkoutId: string, owner: string): Promise<{ result: AdvanceResult; checkout: LoadedCheckout | undefined }>;
  lease: SagaLease;
}

/** The cart checkout saga over PostgreSQL (its state), Stripe (payments) and the carts. */
export function createCartCheckoutSaga(d: CartSagaDeps & { lease: SagaLease }): CartCheckoutSaga {
  const steps = createCartSteps(d);

  async function drive(checkoutId: string, owner: string) {
    for (let i = 0; i < MAX_STEPS; i++) {
      const checkout = await loadCheckout(d.sql, checkoutId);
      if (!checkout) return { result: 'settled' as const, checkout };
      const step = nextCheckoutStep(checkout.snapshot, d.clock());
      if (step.kind === 'done' || step.kind === 'wait') return { result: 'settled' as const, checkout };
      if ((await steps.run(step, checkout)) === 'stop') return { result: 'blocked' as const, checkout };
      if (!(await d.lease.renew(checkoutId, owner))) return { result: 'busy' as const, checkout: undefined };
    }
    d.logger.error({ checkout_id: checkoutId }, 'cart checkout saga took too many steps at once');
    return { result: 'blocked' as const, checkout: await loadCheckout(d.sql, checkoutId) };
  }

  return {
    lease: d.lease,
    drive,
    async advance(checkoutId) {
      const owner = await d.lease.acquire(checkoutId);
      if (owner === undefined) return 'busy';
      try {
        return (await drive(checkoutId, owner)).result;
      } finally {
        await d.lease.release(checkoutId, owner);
      }
    },
  };
}
