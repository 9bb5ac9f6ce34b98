import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/index.ts';
import { optionsFor, priceCheckout, rankFor, shipmentDistances } from './shipping.ts';
import { destinationOf } from './zones.ts';

const tables = loadConfig({ NODE_ENV: 'test' });
const NOW = Date.UTC(2026, 5, 1);
const la = destinationOf(tables.SHIPPING_ZONES, 'US', 'CA')!;
const lines = [{ product_id: 'a', sku: 'A', title: 'A', quantity: 2, unit_price_cents: 10_000 }];

describe('shipping a checkout', () => {
  it('counts one shipment per warehouse, at its distance', () => {
    const sent = [
      { warehouse_id: 'w1', region: 'us-west' },
      { warehouse_id: 'w1', region: 'us-west' },
      { warehouse_id: 'w2', region: 'eu-west' },
    ];
    expect(shipmentDistances(tables, sent, la)).toEqual(['zone', 'world']);
    expect(rankFor(tables, la)('us-east')).toBe(1);
    expect(rankFor(tables, null)('us-east')).toBe(0);
  });

  it('prices goods, the shipments and the destination’s tax', () => {
    const p = priceCheckout(tables, { lines, sent: [{ warehouse_id: 'w', region: 'us-west' }], to: la, option: 'express' }, NOW);
    expect(p.totals).toEqual({ subtotal_cents: 20_000, shipping_cents: 1_499, tax_cents: 1_559, total_cents: 23_058 });
    expect(p.quote).toMatchObject({ option: 'express', days: 1, estimated_delivery: '2026-06-02' });
  });

  it('charges no shipping or tax before a destination and an option are known', () => {
    const p = priceCheckout(tables, { lines, sent: [], to: null, option: null }, NOW);
    expect(p).toEqual({ totals: { subtotal_cents: 20_000, shipping_cents: 0, tax_cents: 0, total_cents: 20_000 }, quote: null });
  });

  it('gives every option with the totals it makes', () => {
    const options = optionsFor(tables, { lines, sent: [{ warehouse_id: 'w', region: 'us-east' }], to: la }, NOW);
    expect(options.map((o) => [o.option, o.shipping_cents, o.total_cents])).toEqual([
      ['standard', 799, 20_000 + 799 + 1_508],
      ['express', 1_999, 20_000 + 1_999 + 1_595],
    ]);
  });
});
