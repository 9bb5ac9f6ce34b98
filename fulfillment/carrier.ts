import { createHash } from 'node:crypto';

/** A carrier's label: who carries the parcel, its tracking number and where to follow it. */
export interface Label {
  carrier: string;
  tracking_number: string;
  tracking_url: string;
}

const CARRIERS = [
  { name: 'Parcelo', prefix: 'PX', slug: 'parcelo' },
  { name: 'SwiftShip', prefix: 'SW', slug: 'swiftship' },
  { name: 'Northline Freight', prefix: 'NL', slug: 'northline' },
] as const;

/**
 * The carrier stand-in: the label of the parcel of one warehouse of an order, derived from the pair alone (no
 * network), so asking again gives the same label. Tracking numbers are two letters and 12 digits.
 */
export function labelFor(orderId: string, warehouseId: string): Label {
  const h = createHash('sha256').update(`${orderId}:${warehouseId}`).digest();
  const carrier = CARRIERS[h[0]! % CARRIERS.length]!;
  const digits = (h.readBigUInt64BE(1) % 1_000_000_000_000n).toString().padStart(12, '0');
  const tracking_number = `${carrier.prefix}${digits}`;
  return { carrier: carrier.name, tracking_number, tracking_url: `https://tracking.flashline.dev/${carrier.slug}/${tracking_number}` };
}
