import { orderStatuses, type OrderStatus } from '../contracts/index.ts';

export { orderStatuses, type OrderStatus };

/** Where a parcel is; `cancelled`: its label was voided with its order before it left. */
export type ShipmentStatus = 'label_created' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'cancelled';

/**
 * Every move an order's status may make, from each status to those that may follow it. A drop order is placed
 * when its payment is captured and paid when the sequencer records the purchase (or refunded when the hold was
 * lost); a cart order is paid at once. Cancelling is possible until a parcel leaves. Two returns may each take
 * part of an order, so partially_returned may follow itself; cancelled, returned and refunded are final.
 */
const successors: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['paid', 'cancelled', 'refunded'],
  paid: ['partially_shipped', 'shipped', 'cancelled'],
  partially_shipped: ['shipped'],
  shipped: ['delivered'],
  delivered: ['partially_returned', 'returned'],
  partially_returned: ['partially_returned', 'returned'],
  cancelled: [],
  returned: [],
  refunded: [],
};

/** True when an order in `from` may move to `to`. */
export const canMove = (from: OrderStatus, to: OrderStatus): boolean => successors[from].includes(to);

/** The statuses that may follow `from`, in the table's order. */
export const nextStatuses = (from: OrderStatus): readonly OrderStatus[] => successors[from];

/** The statuses an order passes through while its parcels travel. */
const FULFILLMENT: readonly OrderStatus[] = ['paid', 'partially_shipped', 'shipped', 'delivered'];

const LEFT: ReadonlySet<ShipmentStatus> = new Set(['in_transit', 'out_for_delivery', 'delivered']);

/**
 * The status an order's parcels give it: delivered once every parcel arrived, shipped once every parcel left,
 * partially_shipped once some did, paid before that (voided labels do not count).
 */
export function fulfillmentStatus(shipments: readonly ShipmentStatus[]): OrderStatus {
  const live = shipments.filter((s) => s !== 'cancelled');
  if (live.length === 0) return 'paid';
  if (live.every((s) => s === 'delivered')) return 'delivered';
  if (live.every((s) => LEFT.has(s))) return 'shipped';
  return live.some((s) => LEFT.has(s)) ? 'partially_shipped' : 'paid';
}

/**
 * The moves that take an order from `from` to `to` along paid → partially_shipped → shipped → delivered, each
 * one the table allows (the furthest step at a time); empty when the order is there already, past it, or off
 * that path (cancelled, returned…).
 */
export function fulfillmentMoves(from: OrderStatus, to: OrderStatus): OrderStatus[] {
  const target = FULFILLMENT.indexOf(to);
  const moves: OrderStatus[] = [];
  let at = FULFILLMENT.indexOf(from);
  if (at < 0 || target <= at) return moves;
  while (at < target) {
    const here = FULFILLMENT[at]!;
    const step = Math.max(...successors[here].map((s) => FULFILLMENT.indexOf(s)).filter((i) => i > at && i <= target));
    moves.push(FULFILLMENT[step]!);
    at = step;
  }
  return moves;
}

/** The status after a return is received: returned once every unit bought has come back. */
export const returnStatus = (bought: number, returned: number): OrderStatus =>
  returned >= bought ? 'returned' : 'partially_returned';
