import { describe, expect, it } from 'vitest';
import {
  canMove,
  fulfillmentMoves,
  fulfillmentStatus,
  nextStatuses,
  orderStatuses,
  returnStatus,
  type OrderStatus,
} from './transitions.ts';

/** The moves the order model allows, written out pair by pair. */
const allowed = new Set([
  'placed>paid',
  'placed>cancelled',
  'placed>refunded',
  'paid>partially_shipped',
  'paid>shipped',
  'paid>cancelled',
  'partially_shipped>shipped',
  'shipped>delivered',
  'delivered>partially_returned',
  'delivered>returned',
  'partially_returned>partially_returned',
  'partially_returned>returned',
]);

describe('order transitions', () => {
  it('allows exactly the listed moves, checked for every pair of statuses', () => {
    let pairs = 0;
    for (const from of orderStatuses) {
      for (const to of orderStatuses) {
        pairs++;
        expect({ from, to, ok: canMove(from, to) }).toEqual({ from, to, ok: allowed.has(`${from}>${to}`) });
      }
    }
    expect(pairs).toBe(81);
  });

  it('ends at cancelled, returned and refunded', () => {
    for (const s of ['cancelled', 'returned', 'refunded'] as const) expect(nextStatuses(s)).toEqual([]);
  });
});

describe('fulfillment', () => {
  it('derives the order status from its parcels, ignoring voided labels', () => {
    expect(fulfillmentStatus([])).toBe('paid');
    expect(fulfillmentStatus(['label_created', 'label_created'])).toBe('paid');
    expect(fulfillmentStatus(['in_transit', 'label_created'])).toBe('partially_shipped');
    expect(fulfillmentStatus(['delivered', 'label_created'])).toBe('partially_shipped');
    expect(fulfillmentStatus(['in_transit', 'out_for_delivery'])).toBe('shipped');
    expect(fulfillmentStatus(['delivered', 'in_transit'])).toBe('shipped');
    expect(fulfillmentStatus(['delivered', 'delivered'])).toBe('delivered');
    expect(fulfillmentStatus(['delivered', 'cancelled'])).toBe('delivered');
    expect(fulfillmentStatus(['cancelled'])).toBe('paid');
  });

  it('moves along the path one allowed step at a time, never back', () => {
    expect(fulfillmentMoves('paid', 'partially_shipped')).toEqual(['partially_shipped']);
    expect(fulfillmentMoves('paid', 'shipped')).toEqual(['shipped']);
    expect(fulfillmentMoves('paid', 'delivered')).toEqual(['shipped', 'delivered']);
    expect(fulfillmentMoves('partially_shipped', 'delivered')).toEqual(['shipped', 'delivered']);
    expect(fulfillmentMoves('shipped', 'delivered')).toEqual(['delivered']);
    expect(fulfillmentMoves('partially_shipped', 'partially_shipped')).toEqual([]);
    expect(fulfillmentMoves('shipped', 'partially_shipped')).toEqual([]);
    expect(fulfillmentMoves('delivered', 'shipped')).toEqual([]);
    for (const off of ['cancelled', 'placed', 'returned', 'refunded'] as OrderStatus[]) {
      expect(fulfillmentMoves(off, 'delivered')).toEqual([]);
    }
    // Every path is made of allowed moves.
    for (const from of orderStatuses) {
      for (const to of orderStatuses) {
        let at = from;
        for (const m of fulfillmentMoves(from, to)) {
          expect(canMove(at, m)).toBe(true);
          at = m;
        }
      }
    }
  });

  it('calls an order returned only once every unit came back', () => {
    expect(returnStatus(3, 1)).toBe('partially_returned');
    expect(returnStatus(3, 3)).toBe('returned');
  });
});
