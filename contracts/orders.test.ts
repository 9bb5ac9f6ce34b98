import { describe, expect, it } from 'vitest';
import { isId } from './ids.ts';
import { newOrderEvent, orderEvent } from './orders.ts';

const order = { order_id: '0190a0a0-0000-7000-8000-000000000001', user_id: '0190a0a0-0000-7000-8000-000000000002' };

describe('newOrderEvent', () => {
  it('gives each event the version and an id of its own, and keeps what the producer said', () => {
    const paid = newOrderEvent({ type: 'order.paid', ...order, amount_cents: 12_500, currency: 'USD', at: 5 });
    expect(paid).toMatchObject({ type: 'order.paid', v: 2, ...order, amount_cents: 12_500, currency: 'USD', at: 5 });
    expect(isId(paid.event_id)).toBe(true);
    const again = newOrderEvent({ type: 'order.paid', ...order, amount_cents: 12_500, currency: 'USD', at: 5 });
    expect(again.event_id).not.toBe(paid.event_id);
    expect(orderEvent.parse(JSON.parse(JSON.stringify(paid)))).toEqual(paid);
  });

  it('refuses an event that breaks the contract', () => {
    expect(() => newOrderEvent({ type: 'order.paid', ...order, order_id: 'nope', amount_cents: 1, currency: 'USD', at: 1 })).toThrow();
    expect(() =>
      newOrderEvent({
        type: 'order.placed',
        ...order,
        source: 'cart',
        currency: 'USD',
        subtotal_cents: 1,
        shipping_cents: 0,
        tax_cents: 0,
        total_cents: 1,
        items: [],
        at: 1,
      }),
    ).toThrow(/items/);
  });
});
