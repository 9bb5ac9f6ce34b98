import { createHmac, timingSafeEqual } from 'node:crypto';

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

const mac = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/** A compact signed ticket: base64url(JSON).base64url(HMAC-SHA256). */
export function signTicket(t: Ticket, secret: string): string {
  const payload = Buffer.from(JSON.stringify([t.intent_id, t.drop_id, t.user_id, t.offset, t.exp])).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** The ticket's contents when its signature holds and it has not expired; null otherwise. */
export function verifyTicket(token: string, secret: string, now = Date.now()): Ticket | null {
  const [payload, sig] = token.split('.');
  if (!payload || !sig) return null;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const [intent_id, drop_id, user_id, offset, exp] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [
      string,
      string,
      string,
      number,
      number,
    ];
    return exp > now ? { intent_id, drop_id, user_id, offset, exp } : null;
  } catch {
    return null;
  }
}
