import { describe, expect, it } from 'vitest';
import { newOrderEvent } from '../contracts/index.ts';
import { composeEmail, noticeOf, type OrderFacts } from './emails.ts';

const order_id = '0190a0a0-0000-7000-8000-000000000001';
const user_id = '0190a0a0-0000-7000-8000-000000000002';
const shipment_id = '0190a0a0-0000-7000-8000-000000000003';
const east = '0190a0a0-0000-7000-8000-00000000000e';
const facts: OrderFacts = {
  order_id,
  name: 'Ada <Admin>',
  email: 'ada@example.test',
  currency: 'USD',
  items: [
    { title: 'Sneaker', quantity: 2, unit_price_cents: 6_000, warehouse_id: east },
    { title: 'Socks & more', quantity: 1, unit_price_cents: 500, warehouse_id: null },
  ],
  subtotal_cents: 12_500,
  shipping_cents: 500,
  tax_cents: 1_250,
  total_cents: 14_250,
  estimated_delivery: '2025-02-04',
};
const base = { order_id, user_id, at: 1 };
const parcel = { shipment_id, warehouse_id: east, carrier: 'Parcelo', tracking_number: 'PX123', tracking_url: 'https://track.example/PX123' };

describe('notices', () => {
  it('mails the events a shopper cares about, each under a key of what it is about', () => {
    expect(noticeOf(newOrderEvent({ type: 'order.paid', ...base, amount_cents: 1, currency: 'USD' }))?.key).toBe(`${order_id}.confirmation`);
    expect(noticeOf(newOrderEvent({ type: 'shipment.shipped', ...base, ...parcel }))?.key).toBe(`${shipment_id}.shipped`);
    expect(noticeOf(newOrderEvent({ type: 'shipment.delivered', ...base, ...parcel }))?.key).toBe(`${shipment_id}.delivered`);
    const refund = { amount_cents: 14_250, currency: 'USD' };
    expect(noticeOf(newOrderEvent({ type: 'order.cancelled', ...base, reason: 'asked', refund }))?.notice).toEqual({
      kind: 'cancelled',
      refund_cents: 14_250,
    });
    expect(noticeOf(newOrderEvent({ type: 'order.refunded', ...base, refund_id: shipment_id, reason: 'returned', ...refund }))?.key).toBe(
      `${shipment_id}.refund`,
    );
    expect(noticeOf(newOrderEvent({ type: 'shipment.created', ...base, ...parcel }))).toBeNull();
    expect(noticeOf(newOrderEvent({ type: 'return.requested', ...base, return_id: shipment_id, lines: [{ product_id: east, quantity: 1, reason: 'x' }] }))).toBeNull();
  });

  it('confirms an order with its items, totals and delivery date, in text and escaped HTML', () => {
    const m = composeEmail({ kind: 'confirmation' }, facts);
    expect(m.subject).toBe('Your order 0190a0a0 is confirmed');
    expect(m.text).toContain('2 × Sneaker  USD 120.00');
    expect(m.text).toMatch(/Total:\s+USD 142.50/);
    expect(m.text).toContain('2025-02-04');
    expect(m.html).toContain('Ada &#60;Admin&#62;');
    expect(m.html).toContain('Socks &#38; more');
    expect(m.html).not.toContain('<Admin>');
  });

  it('tells of a parcel leaving with its tracking, naming only the items in it', () => {
    const m = composeEmail({ kind: 'shipped', parcel }, facts);
    expect(m.subject).toBe('Your order 0190a0a0 is on its way');
    expect(m.text).toContain('PX123');
    expect(m.text).toContain('Track your parcel: https://track.example/PX123');
    expect(m.text).toContain('Sneaker');
    expect(m.text).not.toContain('Socks');
    expect(m.html).toContain('href="https://track.example/PX123"');
    expect(composeEmail({ kind: 'delivered', parcel }, facts).subject).toBe('Your order 0190a0a0 was delivered');
  });

  it('tells of a cancellation and of a refund with their amounts', () => {
    expect(composeEmail({ kind: 'cancelled', refund_cents: 14_250 }, facts).text).toMatch(/Refund:\s+USD 142.50/);
    const refund = composeEmail({ kind: 'refund', amount_cents: 1_100, reason: 'returned' }, facts);
    expect(refund.subject).toBe('A refund of USD 11.00 for your order 0190a0a0');
    expect(refund.text).toMatch(/Reason:\s+returned/);
  });
});
