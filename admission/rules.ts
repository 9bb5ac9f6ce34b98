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

/**
 * The checks a join passes before it costs a Redis call, from the local view: the drop exists, is
 * not over, and the quantity is within the per-user limit. Throws the AppError to answer with.
 */
export function gateJoin(view: DropView | null, quantity: number, now: number): DropView {
  if (view === null) throw new AppError('not_found', 'no such drop');
  const status = effectiveStatus(view, now);
  if (status === 'sold_out' || status === 'ended') {
    throw new AppError('gone', `the drop is ${status.replace('_', ' ')}`, { details: { reason: status } });
  }
  if (quantity > view.per_user_limit) {
    throw new AppError('conflict', `at most ${view.per_user_limit} per shopper in this drop`, {
      details: { reason: 'per_user_limit', per_user_limit: view.per_user_limit },
    });
  }
  return view;
}

/** Intents ahead of an offset that are not yet decided; 0 once decided. Only goes down as the drop moves. */
export const positionOf = (offset: number, decidedOffset: number): number => Math.max(0, offset - decidedOffset);
