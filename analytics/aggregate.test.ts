import { describe, expect, it } from 'vitest';
import { newOrderEvent } from '../contracts/index.ts';
import { dayOf, hourOf, ordersNeedingLines, tally, type SoldLine } from './aggregate.ts';

const id = (n: number) => `0190a0a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const [o1, o2, user, mug, lamp, refund] = [1, 2, 3, 4, 5, 6].map(id) as [string, string, string, string, string, string];
const at = Date.UTC(2026, 2, 1, 10, 42);
const base = (order_id: string, when = at) => ({ order_id, user_id: user, at: when });
const lines = new Map<string, SoldLine[]>([
  [
    o1,
    [
      { order_id: o1, product_id: mug, quantity: 2, cents: 2_000, currency: 'USD' },
      { order_id: o1, product_id: mug, quantity: 1, cents: 1_000, currency: 'USD' },
      { order_id: o1, product_id: lamp, quantity: 1, cents: 3_000, currency: 'USD' },
    ],
  ],
  [o2, [{ order_id: o2, product_id: mug, quantity: 1, cents: 1_000, currency: 'USD' }]],
]);

describe('tally', () => {
  it('counts paid orders as sales per product and day and as revenue per hour', () => {
    const t = tally(
      [
        newOrderEvent({ type: 'order.paid', ...base(o1), amount_cents: 6_600, currency: 'USD' }),
        newOrderEvent({ type: 'order.paid', ...base(o2, at + 3_600_000), amount_cents: 1_100, currency: 'USD' }),
      ],
      lines,
    );
    expect(t.sales).toEqual([
      { product_id: mug, day: '2026-03-01', currency: 'USD', units: 4, orders: 2, revenue_cents: 4_000 },
      { product_id: lamp, day: '2026-03-01', currency: 'USD', units: 1, orders: 1, revenue_cents: 3_000 },
    ].sort((a, b) => (a.product_id < b.product_id ? -1 : 1)));
    expect(t.revenue).toEqual([
      { hour: '2026-03-01T10:00:00.000Z', currency: 'USD', orders: 1, revenue_cents: 6_600, refunded_cents: 0 },
      { hour: '2026-03-01T11:00:00.000Z', currency: 'USD', orders: 1, revenue_cents: 1_100, refunded_cents: 0 },
    ]);
    expect(Object.fromEntries(t.salesCount)).toEqual({ [mug]: 4, [lamp]: 1 });
  });

  it('takes cancelled and returned units off sales_count and counts confirmed refunds', () => {
    const t = tally(
      [
        newOrderEvent({ type: 'order.cancelled', ...base(o2), reason: 'asked', refund: { amount_cents: 1_100, currency: 'USD' } }),
        newOrderEvent({
          type: 'return.received',
          ...base(o1),
          return_id: refund,
          lines: [{ product_id: lamp, quantity: 1, reason: 'x' }],
          refund: { amount_cents: 3_300, currency: 'USD' },
        }),
        newOrderEvent({ type: 'order.refunded', ...base(o1), refund_id: refund, reason: 'returned', amount_cents: 3_300, currency: 'USD' }),
        newOrderEvent({ type: 'order.placed', ...base(o1), source: 'cart', currency: 'USD', subtotal_cents: 0, shipping_cents: 0, tax_cents: 0, total_cents: 0, items: [{ product_id: mug, sku: 's', title: 't', quantity: 1, unit_price_cents: 0, warehouse_id: null }] }),
      ],
      lines,
    );
    expect(t.sales).toEqual([]);
    expect(t.revenue).toEqual([{ hour: '2026-03-01T10:00:00.000Z', currency: 'USD', orders: 0, revenue_cents: 0, refunded_cents: 3_300 }]);
    expect(Object.fromEntries(t.salesCount)).toEqual({ [mug]: -1, [lamp]: -1 });
  });

  it('names the orders whose lines it needs, and reads times in UTC', () => {
    const events = [
      newOrderEvent({ type: 'order.paid', ...base(o1), amount_cents: 1, currency: 'USD' }),
      newOrderEvent({ type: 'order.cancelled', ...base(o1), reason: 'x', refund: { amount_cents: 1, currency: 'USD' } }),
      newOrderEvent({ type: 'order.refunded', ...base(o2), refund_id: refund, reason: 'x', amount_cents: 1, currency: 'USD' }),
    ];
    expect(ordersNeedingLines(events)).toEqual([o1]);
    expect(dayOf(Date.UTC(2026, 0, 31, 23, 59))).toBe('2026-01-31');
    expect(hourOf(Date.UTC(2026, 0, 31, 23, 59))).toBe('2026-01-31T23:00:00.000Z');
  });
});
