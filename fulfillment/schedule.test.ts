import { describe, expect, it } from 'vitest';
import { labelFor } from './carrier.ts';
import { nextScan, scansTo, secondsIn } from './schedule.ts';

describe('carrier stand-in', () => {
  it('gives the same label for the same parcel and different ones for others', () => {
    const a = labelFor('order-1', 'east');
    expect(labelFor('order-1', 'east')).toEqual(a);
    expect(a.tracking_number).toMatch(/^[A-Z]{2}\d{12}$/);
    expect(a.tracking_url).toBe(`https://tracking.flashline.dev/${a.tracking_url.split('/')[3]}/${a.tracking_number}`);
    const others = new Set(Array.from({ length: 50 }, (_, i) => labelFor('order-1', `w${i}`).tracking_number));
    expect(others.size).toBe(50);
  });
});

describe('scans', () => {
  it('takes a parcel from its label to the door, two days at real time', () => {
    expect(nextScan('label_created')).toBe('in_transit');
    expect(nextScan('in_transit')).toBe('out_for_delivery');
    expect(nextScan('out_for_delivery')).toBe('delivered');
    expect(nextScan('delivered')).toBeNull();
    expect(nextScan('cancelled')).toBeNull();
    const total = (['label_created', 'in_transit', 'out_for_delivery'] as const).reduce((s, x) => s + secondsIn(x, 1), 0);
    expect(total).toBe(48 * 3_600);
    expect(secondsIn('in_transit', 3_600)).toBe(36);
  });

  it('takes a parcel an admin marks to that status, leaving before arriving', () => {
    expect(scansTo('label_created', 'in_transit')).toEqual(['in_transit']);
    expect(scansTo('out_for_delivery', 'in_transit')).toEqual([]);
    expect(scansTo('label_created', 'delivered')).toEqual(['in_transit', 'delivered']);
    expect(scansTo('out_for_delivery', 'delivered')).toEqual(['delivered']);
    expect(scansTo('delivered', 'delivered')).toEqual([]);
    expect(scansTo('cancelled', 'in_transit')).toBeNull();
  });
});
