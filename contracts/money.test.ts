import { describe, expect, it } from 'vitest';
import { formatMoney } from './money.ts';

describe('formatMoney', () => {
  it('writes minor units with two decimals beside the currency, zero-decimal currencies as they are', () => {
    expect(formatMoney(12_500, 'USD')).toBe('USD 125.00');
    expect(formatMoney(5, 'EUR')).toBe('EUR 0.05');
    expect(formatMoney(500, 'JPY')).toBe('JPY 500');
  });
});
