import type { DropStatus } from '../contracts/index.ts';
import { AppError } from '../platform/index.ts';
import type { DropView } from './drop-view.ts';

/**
 * The status shoppers see: the stored one, or ended once the end has passed. A scheduled drop stays scheduled
 * past its start until the drop opener has handed its pre-queue to the line and opened it.
 */
export function effectiveStatus(view: Pick<DropView, 'status' | 'starts_at' | 'ends_at'>, now: number): DropStatus {
  if (view.status !== 'sold_out' && view.ends_at !== null && now >= view.ends_at) return 'ended';
  return view.status;
}

/** Whether a drop's stored status is final: Redis gives no new place in it after that. */
export const isFinalStatus = (status: DropStatus): boolean => status === 'sold_out' || status === 'ended';

/** Whether the drop is over (sold out, or ended by status or by its end time): it gives no new place. */
export function overStatus(
  view: Pick<DropView, 'status' | 'starts_at' | 'ends_at'>,
  now: number,
): 'sold_out' | 'ended' | undefined {
  const status = effectiveStatus(view, now);
  return status === 'sold_out' || status === 'ended' ? status : undefined;
}

/** What a join to a drop that is over is told: a constant, as the crowd after the last unit is told it. */
export const goneMessage = { sold_out: 'the drop is sold out', ended: 'the drop is ended' } as const;

/** The 410 of a join to a drop that is over. */
export const goneError = (reason: 'sold_out' | 'ended'): AppError => new AppError('gone', goneMessage[reason], { details: { reason } });

/**
 * The checks a join passes before it costs a Redis call, from the local view: the drop exists, is not over
 * (unless the user holds a place in it: a rejoin gets its intent at any time), and the quantity is within the
 * per-user limit. Throws the AppError to answer with.
 */
export function gateJoin(view: DropView | null, quantity: number, now: number, holdsPlace = false): DropView {
  if (view === null) throw new AppError('not_found', 'no such drop');
  const over = overStatus(view, now);
  if (over && !holdsPlace) throw goneError(over);
  if (quantity > view.per_user_limit) {
    throw new AppError('conflict', `at most ${view.per_user_limit} per shopper in this drop`, {
      details: { reason: 'per_user_limit', per_user_limit: view.per_user_limit },
    });
  }
  return view;
}

/** Intents ahead of an offset that are not yet decided; 0 once decided. Only goes down as the drop moves. */
export const positionOf = (offset: number, decidedOffset: number): number => Math.max(0, offset - decidedOffset);
