import { newId, newOrderEvent, type OrderEventInput } from '../contracts/index.ts';
import { AppError, type Tx } from '../platform/index.ts';
import { canMove, fulfillmentMoves, fulfillmentStatus, type OrderStatus, type ShipmentStatus } from './transitions.ts';

/** An order row as the transactions that change it read it, under its lock. */
export interface LockedOrder {
  order_id: string;
  user_id: string;
  status: OrderStatus;
  currency: string;
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
}

/**
 * The order, locked for the rest of the transaction (undefined when there is none). Every change of an order's
 * later status takes this lock first, so a cancellation and a parcel leaving never pass each other.
 */
export async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | undefined> {
  const [o] = await tx<LockedOrder[]>`
    select order_id, user_id, status, currency, subtotal_cents::float8 as subtotal_cents,
           shipping_cents::float8 as shipping_cents, tax_cents::float8 as tax_cents, total_cents::float8 as total_cents
    from orders where order_id = ${orderId} for update`;
  return o && { ...o, currency: o.currency.trim() };
}

/**
 * Moves a locked order to `to` (`o.status` follows) and records the move in its timeline, at the database's
 * clock so the moves of one transaction keep their order. Throws conflict when the transition table forbids it.
 */
export async function moveOrder(tx: Tx, o: LockedOrder, to: OrderStatus, data: Record<string, string> = {}): Promise<void> {
  if (!canMove(o.status, to)) {
    throw new AppError('conflict', `an order that is ${o.status} cannot become ${to}`, { details: { status: o.status } });
  }
  await tx`update orders set status = ${to}, updated_at = now() where order_id = ${o.order_id}`;
  await tx`insert into order_events (event_id, order_id, type, data, created_at)
           values (${newId()}, ${o.order_id}, ${to}, ${tx.json({ from: o.status, ...data })}, clock_timestamp())`;
  o.status = to;
}

/** Writes an order event to the outbox, to be relayed to `topic` once the transaction commits. */
export async function announce(tx: Tx, topic: string, e: OrderEventInput): Promise<void> {
  await tx`insert into outbox (topic, key, payload) values (${topic}, ${e.order_id}, ${tx.json(newOrderEvent(e))})`;
}

/**
 * Brings a locked order's status in line with its parcels (fulfillment's moves: partially_shipped, shipped,
 * delivered, one allowed step after another). Answers the statuses it moved through; none for an order off that
 * path (cancelled, returned…).
 */
export async function followShipments(tx: Tx, o: LockedOrder, shipments: readonly ShipmentStatus[]): Promise<OrderStatus[]> {
  const moves = fulfillmentMoves(o.status, fulfillmentStatus(shipments));
  for (const to of moves) await moveOrder(tx, o, to);
  return moves;
}
