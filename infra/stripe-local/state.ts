import type { z } from 'zod';
import { cardOutcome } from './cards.ts';
import { errorReply, invalidRequest, ok, resourceMissing, unexpectedState, type Reply } from './errors.ts';
import {
  defaultSources,
  listOf,
  newCharge,
  newPaymentIntent,
  newRefund,
  paymentError,
  searchResultOf,
  type Charge,
  type PaymentIntent,
  type PaymentIntentStatus,
  type Refund,
  type Sources,
} from './objects.ts';
import type * as P from './params.ts';

type In<S extends z.ZodType> = z.output<S>;

/** Business events so far (each decline counts, even if the PaymentIntent later succeeds). */
export interface Counts {
  paymentIntentsCreated: number;
  paymentIntentsSucceeded: number;
  paymentIntentsCanceled: number;
  cardDeclines: number;
  refunds: number;
}

/**
 * Stripe's server-side state for PaymentIntents, charges and refunds. Every operation either applies a whole
 * transition and answers the new object, or changes nothing and answers Stripe's error for why not.
 */
export interface StripeState {
  createPaymentIntent(p: In<typeof P.createPaymentIntentParams>): Reply;
  retrievePaymentIntent(id: string, p: In<typeof P.retrievePaymentIntentParams>): Reply;
  confirmPaymentIntent(id: string, p: In<typeof P.confirmPaymentIntentParams>): Reply;
  capturePaymentIntent(id: string, p: In<typeof P.capturePaymentIntentParams>): Reply;
  cancelPaymentIntent(id: string, p: In<typeof P.cancelPaymentIntentParams>): Reply;
  /** Newest first, paged by `starting_after`. */
  listPaymentIntents(p: In<typeof P.listParams>): Reply;
  /** Newest first among those whose metadata matches; `next_page` feeds `page`. */
  searchPaymentIntents(p: In<typeof P.searchParams>): Reply;
  createRefund(p: In<typeof P.createRefundParams>): Reply;
  retrieveRefund(id: string): Reply;
  retrieveCharge(id: string): Reply;
  counts(): Counts;
}

const CONFIRMABLE: ReadonlySet<PaymentIntentStatus> = new Set([
  'requires_payment_method',
  'requires_confirmation',
]);
const CANCELABLE: ReadonlySet<PaymentIntentStatus> = new Set([
  'requires_payment_method',
  'requires_confirmation',
  'requires_capture',
]);
const MISSING_PAYMENT_METHOD =
  "You cannot confirm this PaymentIntent because it's missing a payment method. " +
  'Update the PaymentIntent with a payment method and then confirm it again.';

/** `limit` items after the one with id `after` (from the start if none); undefined for an unknown `after`. */
function pageAfter<T extends { id: string }>(items: T[], after: string | undefined, limit: number) {
  const start = after === undefined ? 0 : items.findIndex((item) => item.id === after) + 1;
  if (after !== undefined && start === 0) return undefined;
  return { data: items.slice(start, start + limit), hasMore: start + limit < items.length };
}

/** Fresh, empty state; ids and clock come from `src`. */
export function createState(src: Sources = defaultSources): StripeState {
  const intents = new Map<string, PaymentIntent>();
  const charges = new Map<string, Charge>();
  const refunds = new Map<string, Refund>();
  const counts: Counts = {
    paymentIntentsCreated: 0,
    paymentIntentsSucceeded: 0,
    paymentIntentsCanceled: 0,
    cardDeclines: 0,
    refunds: 0,
  };

  const save = (pi: PaymentIntent) => {
    intents.set(pi.id, pi);
    return pi;
  };
  const chargeOf = (pi: PaymentIntent) =>
    pi.latest_charge === null ? undefined : charges.get(pi.latest_charge);
  const render = (pi: PaymentIntent, expand: P.Expand = []) =>
    expand.includes('latest_charge') ? { ...pi, latest_charge: chargeOf(pi) ?? null } : pi;
  const newestFirst = () => [...intents.values()].reverse();

  /** Charges `paymentMethod` for `pi`: 200 with the paid intent, or 402 with the declined one. */
  const attempt = (pi: PaymentIntent, paymentMethod: string, expand?: P.Expand): Reply => {
    const outcome = cardOutcome(paymentMethod);
    if (outcome.kind === 'unknown') return resourceMissing('PaymentMethod', paymentMethod, 'payment_method');
    const manual = pi.capture_method === 'manual';
    const decline = outcome.kind === 'declined' ? outcome.decline : undefined;
    const charge = newCharge(pi, { paymentMethod, card: outcome.card, capture: !manual, decline }, src);
    charges.set(charge.id, charge);
    if (decline) {
      counts.cardDeclines++;
      const error = paymentError(decline, charge);
      const failed = save({
        ...pi,
        status: 'requires_payment_method',
        payment_method: null,
        last_payment_error: error,
        latest_charge: charge.id,
      });
      return errorReply(402, { ...error, payment_intent: render(failed, expand) });
    }
    if (!manual) counts.paymentIntentsSucceeded++;
    const paid = save({
      ...pi,
      status: manual ? 'requires_capture' : 'succeeded',
      payment_method: paymentMethod,
      last_payment_error: null,
      latest_charge: charge.id,
      amount_capturable: manual ? pi.amount : 0,
      amount_received: manual ? 0 : pi.amount,
    });
    return ok(render(paid, expand));
  };

  /** Runs `then` on the PaymentIntent with `id`, or answers 404. */
  const withIntent = (id: string, then: (pi: PaymentIntent) => Reply): Reply => {
    const pi = intents.get(id);
    return pi ? then(pi) : resourceMissing('payment_intent', id);
  };

  return {
    createPaymentIntent: (p) => {
      const pm = p.payment_method;
      if (pm === undefined && p.confirm) return invalidRequest(MISSING_PAYMENT_METHOD, 'payment_method');
      if (pm !== undefined && cardOutcome(pm).kind === 'unknown') {
        return resourceMissing('PaymentMethod', pm, 'payment_method');
      }
      counts.paymentIntentsCreated++;
      const pi = save(newPaymentIntent(p, src));
      return p.confirm && pm !== undefined ? attempt(pi, pm, p.expand) : ok(render(pi, p.expand));
    },

    retrievePaymentIntent: (id, p) => withIntent(id, (pi) => ok(render(pi, p.expand))),

    confirmPaymentIntent: (id, p) =>
      withIntent(id, (pi) => {
        if (!CONFIRMABLE.has(pi.status)) {
          return unexpectedState(
            `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. ` +
              'Only a PaymentIntent with one of the following statuses may be confirmed: ' +
              `${[...CONFIRMABLE].join(', ')}.`,
            render(pi),
          );
        }
        const pm = p.payment_method ?? pi.payment_method;
        if (pm === null) return invalidRequest(MISSING_PAYMENT_METHOD, 'payment_method');
        return attempt(pi, pm, p.expand);
      }),

    capturePaymentIntent: (id, p) =>
      withIntent(id, (pi) => {
        const charge = chargeOf(pi);
        if (pi.status !== 'requires_capture' || !charge) {
          return unexpectedState(
            `This PaymentIntent could not be captured because it has a status of ${pi.status}. ` +
              'Only a PaymentIntent with one of the following statuses may be captured: requires_capture.',
            render(pi),
          );
        }
        const amount = p.amount_to_capture ?? pi.amount_capturable;
        if (amount > pi.amount_capturable) {
          return invalidRequest(
            `The amount to capture (${amount}) must be less than or equal to ` +
              `the amount capturable (${pi.amount_capturable}).`,
            'amount_to_capture',
          );
        }
        // Stripe releases the uncaptured remainder, which shows as refunded on the charge.
        charges.set(charge.id, {
          ...charge,
          captured: true,
          amount_captured: amount,
          amount_refunded: charge.amount - amount,
        });
        counts.paymentIntentsSucceeded++;
        const captured = save({ ...pi, status: 'succeeded', amount_capturable: 0, amount_received: amount });
        return ok(render(captured, p.expand));
      }),

    cancelPaymentIntent: (id, p) =>
      withIntent(id, (pi) => {
        if (!CANCELABLE.has(pi.status)) {
          return unexpectedState(
            `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. ` +
              'Only a PaymentIntent with one of the following statuses may be canceled: ' +
              `${[...CANCELABLE].join(', ')}.`,
            render(pi),
          );
        }
        const charge = chargeOf(pi);
        if (pi.status === 'requires_capture' && charge) {
          charges.set(charge.id, { ...charge, amount_refunded: charge.amount, refunded: true });
        }
        counts.paymentIntentsCanceled++;
        const canceled = save({
          ...pi,
          status: 'canceled',
          amount_capturable: 0,
          canceled_at: src.now(),
          cancellation_reason: p.cancellation_reason ?? null,
        });
        return ok(render(canceled, p.expand));
      }),

    listPaymentIntents: (p) => {
      const page = pageAfter(newestFirst(), p.starting_after, p.limit ?? 10);
      if (!page) return resourceMissing('payment_intent', p.starting_after ?? '', 'starting_after');
      return ok(listOf('/v1/payment_intents', page.data, page.hasMore));
    },

    searchPaymentIntents: (p) => {
      const { key, value } = p.query;
      const matches = newestFirst().filter((pi) => pi.metadata[key] === value);
      const page = pageAfter(matches, p.page, p.limit ?? 10);
      if (!page) return invalidRequest(`Invalid page: ${p.page ?? ''}`, 'page');
      const last = page.data.at(-1);
      const next = page.hasMore && last ? last.id : null;
      return ok(searchResultOf('/v1/payment_intents/search', page.data, next));
    },

    createRefund: (p) => {
      const pi = intents.get(p.payment_intent);
      if (!pi) return resourceMissing('payment_intent', p.payment_intent, 'payment_intent');
      const charge = chargeOf(pi);
      if (pi.status !== 'succeeded' || !charge) {
        return invalidRequest(
          `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
          'payment_intent',
        );
      }
      const refundable = charge.amount - charge.amount_refunded;
      if (refundable === 0) {
        const message = `Charge ${charge.id} has already been refunded.`;
        return invalidRequest(message, undefined, 'charge_already_refunded');
      }
      const amount = p.amount ?? refundable;
      if (amount > refundable) {
        return invalidRequest(
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable}).`,
          'amount',
        );
      }
      const refunded = charge.amount_refunded + amount;
      charges.set(charge.id, { ...charge, amount_refunded: refunded, refunded: refunded === charge.amount });
      const refund = newRefund(charge, { ...p, amount }, src);
      refunds.set(refund.id, refund);
      counts.refunds++;
      return ok(refund);
    },

    retrieveRefund: (id) => {
      const refund = refunds.get(id);
      return refund ? ok(refund) : resourceMissing('refund', id);
    },

    retrieveCharge: (id) => {
      const charge = charges.get(id);
      return charge ? ok(charge) : resourceMissing('charge', id);
    },

    counts: () => ({ ...counts }),
  };
}
