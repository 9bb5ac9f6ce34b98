import { describe, expect, it } from 'vitest';
import { signTicket, verifyTicket } from './tickets.ts';

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
});
