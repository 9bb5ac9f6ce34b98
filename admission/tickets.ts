import { signJson, unsignJson } from '../platform/index.ts';
import type { DropView } from './drop-view.ts';

/** How long a ticket of a drop without an end lasts after the start (or the join, when later), before the hold time. */
export const OPEN_ENDED_TICKET_MS = 3_600_000;

/**
 * When a ticket handed out now expires (epoch ms): at the drop's end plus its hold time, when the last hold it
 * can have ends; for a drop without an end, `OPEN_ENDED_TICKET_MS` plus the hold time after the start or now,
 * whichever is later (a rejoin hands out a fresh ticket).
 */
export const ticketExpiry = (view: Pick<DropView, 'starts_at' | 'ends_at' | 'hold_seconds'>, now: number): number =>
  (view.ends_at ?? Math.max(now, view.starts_at) + OPEN_ENDED_TICKET_MS) + view.hold_seconds * 1_000;

/** What a waiting-room ticket proves: this user owns this intent of this drop, queued at this offset. */
export interface Ticket {
  intent_id: string;
  drop_id: string;
  user_id: string;
  /** Offset of the join in `drop.intents`; -1 while the intent waits in the pre-queue. */
  offset: number;
  /** Expiry, epoch ms. */
  exp: number;
}

/** A compact signed ticket (platform/signed.ts). */
export const signTicket = (t: Ticket, secret: string): string =>
  signJson([t.intent_id, t.drop_id, t.user_id, t.offset, t.exp], secret);

/** The ticket's contents when its signature holds and it has not expired; null otherwise. */
export function verifyTicket(token: string, secret: string, now = Date.now()): Ticket | null {
  const v = unsignJson(token, secret);
  if (!Array.isArray(v) || v.length !== 5) return null;
  const [intent_id, drop_id, user_id, offset, exp] = v as unknown[];
  if (typeof intent_id !== 'string' || typeof drop_id !== 'string' || typeof user_id !== 'string') return null;
  if (typeof offset !== 'number' || typeof exp !== 'number') return null;
  return exp > now ? { intent_id, drop_id, user_id, offset, exp } : null;
}
