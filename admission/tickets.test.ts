import { describe, expect, it } from 'vitest';
import { OPEN_ENDED_TICKET_MS, signTicket, ticketExpiry, verifyTicket } from './tickets.ts';

const secret = 'k'.repeat(40);
const t = { intent_id: 'i', drop_id: 'd', user_id: 'u', offset: 42, exp: Date.now() + 60_000 };

describe('tickets', () => {
  it('round-trips a signed ticket', () => {
    expect(verifyTicket(signTicket(t, secret), secret)).toEqual(t);
  });

  it('refuses a forged, altered or expired ticket', () => {
    const token = signTicket(t, secret);
    expect(verifyTicket(signTicket(t, 'x'.repeat(40)), secret)).toBeNull();
    const other = signTicket({ ...t, intent_id: 'someone-else' }, secret);
    expect(verifyTicket(`${other.split('.')[0]}.${token.split('.')[1]}`, secret)).toBeNull();
    expect(verifyTicket(signTicket({ ...t, exp: Date.now() - 1 }, secret), secret)).toBeNull();
    expect(verifyTicket('garbage', secret)).toBeNull();
  });

  it('ends a ticket with the last hold of its drop, or a bounded time after the start or the join', () => {
    const drop = { starts_at: 10_000, ends_at: 50_000, hold_seconds: 60 };
    expect(ticketExpiry(drop, 20_000)).toBe(110_000);
    expect(ticketExpiry(drop, 90_000)).toBe(110_000);
    const endless = { ...drop, ends_at: null };
    expect(ticketExpiry(endless, 2_000)).toBe(10_000 + OPEN_ENDED_TICKET_MS + 60_000);
    expect(ticketExpiry(endless, 20_000)).toBe(20_000 + OPEN_ENDED_TICKET_MS + 60_000);
  });
});
