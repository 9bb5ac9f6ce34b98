import type { Decision, IntentStatus } from '../contracts/index.ts';

/**
 * One decision per intent: the one with the highest seq (a batch may carry an intent's reserved and purchased,
 * or duplicates). Applying only it gives the same end state as applying all in seq order.
 */
export function latestPerIntent(ds: readonly Decision[]): Decision[] {
  const best = new Map<string, Decision>();
  for (const d of ds) {
    const seen = best.get(d.intent_id);
    if (seen === undefined || d.seq > seen.seq) best.set(d.intent_id, d);
  }
  return [...best.values()];
}

/** What an intent's new status does to its reservation row. */
export type ReservationChange =
  { op: 'upsert'; status: 'held' | 'committed' } | { op: 'update'; status: 'released' | 'expired' } | null;

/**
 * reserved → a held reservation (until the hold expires); purchased → committed; expired → expired;
 * payment_failed / cancelled → released (only if the intent had a reservation); anything else → none.
 */
export function reservationChange(status: IntentStatus): ReservationChange {
  switch (status) {
    case 'reserved':
      return { op: 'upsert', status: 'held' };
    case 'purchased':
      return { op: 'upsert', status: 'committed' };
    case 'expired':
      return { op: 'update', status: 'expired' };
    case 'payment_failed':
    case 'cancelled':
      return { op: 'update', status: 'released' };
    case 'prequeued':
    case 'queued':
    case 'waitlisted':
    case 'sold_out':
      return null;
  }
}
