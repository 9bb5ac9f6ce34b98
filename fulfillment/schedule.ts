import type { ShipmentStatus } from '../orders/index.ts';

/** A parcel on its way: every status but delivered and cancelled. */
export type Moving = 'label_created' | 'in_transit' | 'out_for_delivery';

/** Hours, in real time, a parcel stays in each status before the carrier's next scan. */
export const HOURS_IN: Readonly<Record<Moving, number>> = { label_created: 6, in_transit: 36, out_for_delivery: 6 };

const NEXT: Readonly<Record<Moving, ShipmentStatus>> = {
  label_created: 'in_transit',
  in_transit: 'out_for_delivery',
  out_for_delivery: 'delivered',
};

export const isMoving = (s: ShipmentStatus): s is Moving => s in NEXT;

/** Seconds a parcel stays in `status` at `speedup` times real time. */
export const secondsIn = (status: Moving, speedup: number): number => (HOURS_IN[status] * 3_600) / speedup;

/** The carrier's next scan of a parcel last scanned `status`; null once it is delivered or its label voided. */
export const nextScan = (status: ShipmentStatus): ShipmentStatus | null => (isMoving(status) ? NEXT[status] : null);

/**
 * The scans that take a parcel to what an admin says of it: `in_transit` (it left) or `delivered` (it arrived;
 * having left first). Empty when it is there already or past it; null for a voided label.
 */
export function scansTo(from: ShipmentStatus, to: 'in_transit' | 'delivered'): ShipmentStatus[] | null {
  if (from === 'cancelled') return null;
  if (from === 'delivered') return [];
  if (to === 'in_transit') return from === 'label_created' ? ['in_transit'] : [];
  return from === 'label_created' ? ['in_transit', 'delivered'] : ['delivered'];
}
