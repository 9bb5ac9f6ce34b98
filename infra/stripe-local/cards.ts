/** The card a test PaymentMethod stands for. */
export interface Card {
  brand: string;
  last4: string;
}

/** How a card payment attempt ends; `card_error` fields are exactly what Stripe reports on a decline. */
export interface Decline {
  code: string;
  decline_code: string;
  message: string;
}

/** The result of charging a PaymentMethod id: approved, declined, or not a PaymentMethod at all. */
export type CardOutcome =
  | { kind: 'approved'; card: Card }
  | { kind: 'declined'; card: Card; decline: Decline }
  | { kind: 'unknown' };

const BRANDS: Readonly<Record<string, Card>> = {
  visa: { brand: 'visa', last4: '4242' },
  mastercard: { brand: 'mastercard', last4: '4444' },
  amex: { brand: 'amex', last4: '8431' },
  discover: { brand: 'discover', last4: '1117' },
  diners: { brand: 'diners', last4: '0004' },
  jcb: { brand: 'jcb', last4: '0000' },
  unionpay: { brand: 'unionpay', last4: '0005' },
};
const DEFAULT_CARD: Card = { brand: 'visa', last4: '4242' };

const DECLINED = 'Your card was declined.';
const declinedAs = (decline_code: string, message = DECLINED): Decline => ({
  code: 'card_declined',
  decline_code,
  message,
});

/** Stripe's test-mode scenarios, keyed by the `chargeDeclined...` segment of a `pm_card_*` id. */
const DECLINES: Readonly<Record<string, Decline>> = {
  chargeDeclined: declinedAs('generic_decline'),
  chargeDeclinedInsufficientFunds: declinedAs('insufficient_funds', 'Your card has insufficient funds.'),
  chargeDeclinedLostCard: declinedAs('lost_card'),
  chargeDeclinedStolenCard: declinedAs('stolen_card'),
  chargeDeclinedFraudulent: declinedAs('fraudulent'),
  chargeDeclinedExpiredCard: {
    code: 'expired_card',
    decline_code: 'expired_card',
    message: 'Your card has expired.',
  },
  chargeDeclinedIncorrectCvc: {
    code: 'incorrect_cvc',
    decline_code: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
  },
  chargeDeclinedProcessingError: {
    code: 'processing_error',
    decline_code: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
};

/**
 * Decides a charge from the PaymentMethod id alone, like Stripe's test cards:
 * - `pm_card_<brand>` (visa, mastercard, ...) and any other `pm_...` id are approved;
 * - an id with a `chargeDeclined*` segment (`pm_card_chargeDeclined`,
 *   `pm_card_visa_chargeDeclinedInsufficientFunds`) is declined with that scenario's code (an unlisted
 *   scenario declines as generic_decline);
 * - anything not starting with `pm_` is unknown (the caller answers resource_missing).
 */
export function cardOutcome(paymentMethodId: string): CardOutcome {
  if (!paymentMethodId.startsWith('pm_')) return { kind: 'unknown' };
  const segments = paymentMethodId.startsWith('pm_card_') ? paymentMethodId.slice(8).split('_') : [];
  const card = segments.map((s) => BRANDS[s]).find((c) => c !== undefined) ?? DEFAULT_CARD;
  const scenario = segments.find((s) => s.startsWith('chargeDeclined'));
  if (scenario === undefined) return { kind: 'approved', card };
  return { kind: 'declined', card, decline: DECLINES[scenario] ?? declinedAs('generic_decline') };
}
