import type { z } from 'zod';
import { cardOutcome } from './cards.ts';
import { errorReply, invalidRequest, ok, resourceMissing, type Reply } from './errors.ts';
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
  type Sources,
} from './objects.ts';
import type * as P from './params.ts';

type In<S extends z.ZodType> = z.output<S>;

/** Business events so far: PaymentIntents created (declined ones included), those paid, declines, refunds. */
export interface Counts {
  paymentIntentsCreated: number;
  paymentIntentsSucceeded: number;
  cardDeclines: number;
  refunds: number;
}

/**
 * Stripe's server-side state for PaymentIntents and their charges. Every operation either applies a whole
 * transition and answers the new object, or changes nothing and answers Stripe's error for why not.
 */
export interface StripeState {
  /** Creates and confirms in one call: 200 with the paid intent, or 402 with the declined one. */
  createPaymentIntent(p: In<typeof P.createPaymentIntentParams>): Reply;
  retrievePaymentIntent(id: string, p: In<typeof P.retrievePaymentIntentParams>): Reply;
  /** Newest first, paged by `starting_after`. */
  listPaymentIntents(p: In<typeof P.listParams>): Reply;
  /** Newest first among those whose metadata matches; `next_page` feeds `page`. */
  searchPaymentIntents(p: In<typeof P.searchParams>): Reply;
  /** Refunds the paid charge of a PaymentIntent, whole or (with `amount`) in part. */
  createRefund(p: In<typeof P.createRefundParams>): Reply;
  counts(): Counts;
}

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
  const counts: Counts = {
    paymentIntentsCreated: 0,
    paymentIntentsSucceeded: 0,
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

  return {
    createPaymentIntent: (p) => {
      const pm = p.payment_method;
      if (pm === undefined) return invalidRequest(MISSING_PAYMENT_METHOD, 'payment_method');
      const outcome = cardOutcome(pm);
      if (outcome.kind === 'unknown') return resourceMissing('PaymentMethod', pm, 'payment_method');
      counts.paymentIntentsCreated++;
      const pi = newPaymentIntent(p, src);
      const decline = outcome.kind === 'declined' ? outcome.decline : undefined;
      const charge = newCharge(pi, { paymentMethod: pm, card: outcome.card, decline }, src);
      charges.set(charge.id, charge);
      if (decline) {
        counts.cardDeclines++;
        const error = paymentError(decline, charge);
        const failed = save({ ...pi, last_payment_error: error, latest_charge: charge.id });
        return errorReply(402, { ...error, payment_intent: render(failed, p.expand) });
      }
      counts.paymentIntentsSucceeded++;
      const paid = save({
        ...pi,
        status: 'succeeded',
        payment_method: pm,
        latest_charge: charge.id,
        amount_received: pi.amount,
      });
      return ok(render(paid, p.expand));
    },

    retrievePaymentIntent: (id, p) => {
      const pi = intents.get(id);
      return pi ? ok(render(pi, p.expand)) : resourceMissing('payment_intent', id);
    },

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
      counts.refunds++;
      return ok(newRefund(charge, { ...p, amount }, src));
    },

    counts: () => ({ ...counts }),
  };
}
