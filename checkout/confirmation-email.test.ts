import { describe, expect, it } from 'vitest';
import { confirmationEmail, formatMoney } from './confirmation-email.ts';

const order = {
  order_id: '0190a0a0-0000-7000-8000-000000000001',
  user_id: '0190a0a0-0000-7000-8000-000000000002',
  total_cents: 12_500,
  currency: 'USD',
};

describe('confirmation email', () => {
  it('states the order, the item, the total and the delivery date', () => {
    const m = confirmationEmail({
      ...order,
      name: 'Ada',
      title: 'Sneaker',
      quantity: 1,
      estimated_delivery: '2025-02-04',
    });
    expect(m.subject).toContain('0190a0a0');
    expect(m.text).toContain('USD 125.00');
    expect(m.text).toContain('2025-02-04');
    expect(formatMoney(5, 'EUR')).toBe('EUR 0.05');
    expect(formatMoney(500, 'JPY')).toBe('JPY 500');
  });
});
