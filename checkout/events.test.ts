import { describe, expect, it } from 'vitest';
import { estimatedDelivery, orderEventFor } from './events.ts';

const order = {
  order_id: '0190a0a0-0000-7000-8000-000000000001',
  user_id: '0190a0a0-0000-7000-8000-000000000002',
  total_cents: 12_500,
  currency: 'USD',
};

describe('order events', () => {
  it('builds valid created, confirmed and refunded messages', () => {
    expect(orderEventFor('order.created', order, 5)).toEqual({
      type: 'order.created',
      v: 1,
      ...order,
      at: 5,
    });
    expect(orderEventFor('order.refunded', order, 5)).toMatchObject({
      type: 'order.refunded',
      amount_cents: 12_500,
    });
  });

  it('refuses a message that breaks the contract', () => {
    expect(() => orderEventFor('order.confirmed', { ...order, order_id: 'nope' }, 1)).toThrow();
  });

  it('estimates delivery five days out, as a UTC date', () => {
    expect(estimatedDelivery(Date.UTC(2025, 0, 30, 23, 59))).toBe('2025-02-04');
  });
});
