import { randomInt } from 'node:crypto';
import type { Card, Decline } from './cards.ts';

/**
 * The statuses a PaymentIntent created and confirmed in one call can end in: paid, or declined (then Stripe
 * hands it back to `requires_payment_method`). This server creates no other kind of PaymentIntent.
 */
export type PaymentIntentStatus = 'requires_payment_method' | 'succeeded';

/** Both capture a card payment at once; manual capture is not modelled. */
export type CaptureMethod = 'automatic' | 'automatic_async';

export type Metadata = Record<string, string>;

/** `last_payment_error` on a PaymentIntent, also the `error` body of a 402. */
export interface PaymentError extends Decline {
  type: 'card_error';
  charge: string;
  doc_url: string;
  payment_method: { id: string; object: 'payment_method'; type: 'card'; card: Card };
}

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  /** Always 0: payments are captured at once. */
  amount_capturable: 0;
  amount_received: number;
  /** Always null: cancellation is not modelled. */
  canceled_at: null;
  cancellation_reason: null;
  capture_method: CaptureMethod;
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  description: string | null;
  last_payment_error: PaymentError | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Metadata;
  payment_method: string | null;
  payment_method_types: string[];
  status: PaymentIntentStatus;
}

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Metadata;
  outcome: { type: 'authorized' | 'issuer_declined'; network_status: string; seller_message: string };
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { type: 'card'; card: Card };
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Metadata;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
}

/** Where ids and timestamps come from; injectable so tests can make them deterministic. */
export interface Sources {
  /** A fresh Stripe-style id such as `pi_3Nx...`. */
  newId: (prefix: string) => string;
  /** Unix seconds. */
  now: () => number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random alphanumerics. */
export function randomToken(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** Random 24-character ids and the wall clock. */
export const defaultSources: Sources = {
  newId: (prefix) => `${prefix}_${randomToken(24)}`,
  now: () => Math.floor(Date.now() / 1000),
};

export interface NewPaymentIntent {
  amount: number;
  currency: string;
  capture_method?: CaptureMethod | undefined;
  description?: string | undefined;
  metadata?: Metadata | undefined;
}

/**
 * A PaymentIntent as it stands before its payment attempt: no payment method, nothing received. The caller
 * confirms it at once, setting the status, payment method and charge from the attempt.
 */
export function newPaymentIntent(p: NewPaymentIntent, src: Sources): PaymentIntent {
  const id = src.newId('pi');
  return {
    id,
    object: 'payment_intent',
    amount: p.amount,
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: p.capture_method ?? 'automatic_async',
    client_secret: `${id}_secret_${randomToken(25)}`,
    confirmation_method: 'automatic',
    created: src.now(),
    currency: p.currency,
    description: p.description ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: p.metadata ?? {},
    payment_method: null,
    payment_method_types: ['card'],
    status: 'requires_payment_method',
  };
}

/** The charge for one payment attempt: captured at once, or failed when `decline` is given. */
export function newCharge(
  pi: PaymentIntent,
  attempt: { paymentMethod: string; card: Card; decline?: Decline | undefined },
  src: Sources,
): Charge {
  const { decline } = attempt;
  const captured = decline === undefined;
  return {
    id: src.newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: captured ? pi.amount : 0,
    amount_refunded: 0,
    captured,
    created: src.now(),
    currency: pi.currency,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    livemode: false,
    metadata: {},
    outcome: decline
      ? { type: 'issuer_declined', network_status: 'declined_by_network', seller_message: decline.message }
      : { type: 'authorized', network_status: 'approved_by_network', seller_message: 'Payment complete.' },
    paid: decline === undefined,
    payment_intent: pi.id,
    payment_method: attempt.paymentMethod,
    payment_method_details: { type: 'card', card: attempt.card },
    refunded: false,
    status: decline ? 'failed' : 'succeeded',
  };
}

/** The card_error recorded on a declined attempt. */
export function paymentError(decline: Decline, charge: Charge): PaymentError {
  return {
    type: 'card_error',
    ...decline,
    charge: charge.id,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replaceAll('_', '-')}`,
    payment_method: {
      id: charge.payment_method,
      object: 'payment_method',
      type: 'card',
      card: charge.payment_method_details.card,
    },
  };
}

/** A refund that has already succeeded, as card refunds do in test mode. */
export function newRefund(
  charge: Charge,
  p: { amount: number; reason?: string | undefined; metadata?: Metadata | undefined },
  src: Sources,
): Refund {
  return {
    id: src.newId('re'),
    object: 'refund',
    amount: p.amount,
    charge: charge.id,
    created: src.now(),
    currency: charge.currency,
    metadata: p.metadata ?? {},
    payment_intent: charge.payment_intent,
    reason: p.reason ?? null,
    status: 'succeeded',
  };
}

/** Stripe's list envelope. */
export function listOf<T>(url: string, data: T[], hasMore: boolean) {
  return { object: 'list' as const, data, has_more: hasMore, url };
}

/** Stripe's search envelope; `nextPage` is the opaque cursor for `page`. */
export function searchResultOf<T>(url: string, data: T[], nextPage: string | null) {
  return { object: 'search_result' as const, data, has_more: nextPage !== null, next_page: nextPage, url };
}
