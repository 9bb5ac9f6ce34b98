import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/index.ts';
import { assertOpen, ownCheckout, shortageProblems, unavailableLines } from './rules.ts';

const NOW = 1_000_000;
const kindOf = (f: () => void) => {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (!isAppError(err)) throw err;
    return `${err.kind}:${String(err.details.reason)}`;
  }
};

describe('unavailableLines', () => {
  it('names the lines whose product is gone, in a drop or priced in another currency', () => {
    const facts = new Map([
      ['ok', { price_cents: 1, currency: 'USD', drop_id: null }],
      ['drop', { price_cents: 1, currency: 'USD', drop_id: 'd' }],
      ['eur', { price_cents: 1, currency: 'EUR', drop_id: null }],
    ]);
    const lines = ['ok', 'gone', 'drop', 'eur'].map((product_id) => ({ product_id, quantity: 1 }));
    expect(unavailableLines(lines, facts, 'USD')).toEqual([
      { product_id: 'gone', kind: 'unavailable', reason: 'gone' },
      { product_id: 'drop', kind: 'unavailable', reason: 'in_drop' },
      { product_id: 'eur', kind: 'unavailable', reason: 'currency' },
    ]);
    expect(shortageProblems([{ product_id: 'a', requested: 3, available: 1 }])).toEqual([
      { product_id: 'a', kind: 'insufficient_stock', requested: 3, available: 1 },
    ]);
  });
});

describe('assertOpen', () => {
  const at = (status: Parameters<typeof assertOpen>[0]['status'], expires_at = NOW + 1) => () =>
    assertOpen({ status, expires_at, order_id: status === 'completed' ? 'o' : null }, NOW);

  it('lets an open checkout change until its time is up', () => {
    expect(kindOf(at('open'))).toBe('ok');
    expect(kindOf(at('open', NOW))).toBe('gone:expired');
  });

  it('refuses every other status with its reason', () => {
    expect(kindOf(at('paying'))).toBe('conflict:payment_in_progress');
    expect(kindOf(at('completed'))).toBe('conflict:completed');
    expect(kindOf(at('released'))).toBe('gone:released');
    expect(kindOf(at('expired'))).toBe('gone:expired');
  });
});

describe('ownCheckout', () => {
  it('hides another user’s checkout as not found', () => {
    expect(ownCheckout({ user_id: 'u' }, 'u')).toEqual({ user_id: 'u' });
    expect(kindOf(() => ownCheckout({ user_id: 'u' }, 'v'))).toBe('not_found:undefined');
    expect(kindOf(() => ownCheckout(undefined, 'v'))).toBe('not_found:undefined');
  });
});
