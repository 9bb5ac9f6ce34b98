import { AppError } from '../platform/index.ts';
import type { IntentSnapshot } from './transitions.ts';

/**
 * Throws unless a shopper may pay for this intent now: it must be theirs (else not_found, so other shoppers'
 * intents are not revealed), reserved with a hold that has not expired (else gone), and not paid automatically
 * or already being paid (else conflict).
 */
export function assertCheckoutAllowed(
  s: IntentSnapshot | undefined,
  userId: string,
  now: number,
): asserts s is IntentSnapshot {
  if (s === undefined || s.user_id !== userId) throw new AppError('not_found', 'No such intent.');
  switch (s.status) {
    case 'reserved':
      if (s.hold_expires_at === null || s.hold_expires_at <= now) {
        throw new AppError('gone', 'The hold on this intent has expired; the unit went back to the drop.');
      }
      break;
    case 'expired':
    case 'cancelled':
      throw new AppError('gone', `The hold on this intent has ended (${s.status}).`);
    case 'purchased':
      throw new AppError('conflict', 'This intent has already been purchased.');
    case 'prequeued':
    case 'queued':
    case 'waitlisted':
    case 'sold_out':
    case 'payment_failed':
      throw new AppError(
        'conflict',
        `This intent is ${s.status}, not reserved; there is nothing to pay for.`,
      );
  }
  if (s.payment_method_id !== null) {
    throw new AppError('conflict', 'This intent is paid automatically with the card given when joining.');
  }
  if (s.payment !== null && s.payment.status !== 'failed') {
    throw new AppError(
      'conflict',
      'This intent already has a payment; retry with the Idempotency-Key used for it.',
    );
  }
}
