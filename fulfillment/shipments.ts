import { newId } from '../contracts/index.ts';
import { announce, followShipments, lockOrder, type LockedOrder, type ShipmentStatus } from '../orders/index.ts';
import { AppError, type Sql, type Tx } from '../platform/index.ts';
import { labelFor } from './carrier.ts';
import { isMoving, nextScan, scansTo, secondsIn, type Moving } from './schedule.ts';

interface ShipmentRow {
  shipment_id: string;
  order_id: string;
  warehouse_id: string;
  carrier: string;
  tracking_number: string;
  tracking_url: string;
  status: ShipmentStatus;
}

/** A parcel as admins see it. */
export interface ShipmentView extends ShipmentRow {
  events: { status: ShipmentStatus; at: string }[];
}

const columns = (db: Sql | Tx) => db`shipment_id, order_id, warehouse_id, carrier, tracking_number, tracking_url, status`;

/** The event a scan announces: shipment.shipped when the parcel leaves, shipment.delivered when it arrives. */
const eventOf = (status: ShipmentStatus) =>
  status === 'in_transit' ? ('shipment.shipped' as const) : status === 'delivered' ? ('shipment.delivered' as const) : null;

/**
 * Shipments, the one writer of `shipments` and `shipment_events`. Every change takes the order's lock first (the
 * lock a cancellation takes), then the parcel's, and brings the order's status in line through orders/ in the same
 * transaction, with its events in the outbox.
 */
export function createShipments(d: { sql: Sql; topic: string; speedup: number }) {
  /** Records a scan at the database's clock, so the scans of one transaction keep their order. */
  async function scan(tx: Tx, o: LockedOrder, s: ShipmentRow, to: ShipmentStatus): Promise<void> {
    const [scanned] = await tx<{ at: Date }[]>`
      insert into shipment_events (shipment_id, status, at) values (${s.shipment_id}, ${to}, clock_timestamp())
      on conflict do nothing returning at`;
    const at = scanned?.at ?? new Date();
    await tx`update shipments set status = ${to},
                                  shipped_at = case when ${to} = 'in_transit' then ${at} else shipped_at end,
                                  delivered_at = case when ${to} = 'delivered' then ${at} else delivered_at end
             where shipment_id = ${s.shipment_id}`;
    s.status = to;
    const type = eventOf(to);
    if (type === null) return;
    const { shipment_id, warehouse_id, carrier, tracking_number, tracking_url } = s;
    await announce(tx, d.topic, { type, order_id: o.order_id, user_id: o.user_id, shipment_id, warehouse_id, carrier, tracking_number, tracking_url, at: at.getTime() });
  }

  /**
   * Moves a parcel through `scans` (computed from its status under the locks), then the order with its parcels.
   * A parcel of a cancelled order gets its label voided instead. Answers the parcel as it is now.
   */
  async function move(shipmentId: string, scans: (s: ShipmentRow, o: LockedOrder) => ShipmentStatus[]): Promise<ShipmentRow | undefined> {
    const [known] = await d.sql<{ order_id: string }[]>`select order_id from shipments where shipment_id = ${shipmentId}`;
    if (!known) return undefined;
    return d.sql.begin(async (tx) => {
      const o = (await lockOrder(tx, known.order_id))!;
      const [s] = await tx<ShipmentRow[]>`select ${columns(tx)} from shipments where shipment_id = ${shipmentId} for update`;
      if (o.status === 'cancelled' && s!.status === 'label_created') {
        await tx`update shipments set status = 'cancelled' where shipment_id = ${shipmentId}`;
        return { ...s!, status: 'cancelled' as const };
      }
      for (const to of scans(s!, o)) await scan(tx, o, s!, to);
      const all = await tx<{ status: ShipmentStatus }[]>`select status from shipments where order_id = ${o.order_id}`;
      await followShipments(tx, o, all.map((r) => r.status));
      return s!;
    });
  }

  return {
    /**
     * On `order.paid`: a parcel per warehouse the order's lines leave from (a line with none recorded leaves from
     * the warehouse with most of its product), each with the carrier's label, scanned label_created, and announced
     * as shipment.created. Answers the parcels made (none when the order has them already, or is no longer paid);
     * null when a line can leave from no warehouse.
     */
    async createFor(tx: Tx, orderId: string): Promise<number | null> {
      const o = await lockOrder(tx, orderId);
      if (o?.status !== 'paid') return 0;
      const sources = await tx<{ warehouse_id: string | null }[]>`
        select distinct coalesce(oi.warehouse_id, (
          select i.warehouse_id from inventory i where i.product_id = oi.product_id
          order by i.available_count desc, i.warehouse_id limit 1)) as warehouse_id
        from order_items oi where oi.order_id = ${orderId} order by 1`;
      if (sources.some((w) => w.warehouse_id === null)) return null;
      let made = 0;
      for (const { warehouse_id } of sources as { warehouse_id: string }[]) {
        const label = labelFor(orderId, warehouse_id);
        const [s] = await tx<ShipmentRow[]>`
          insert into shipments (shipment_id, order_id, warehouse_id, carrier, tracking_number, tracking_url, status)
          values (${newId()}, ${orderId}, ${warehouse_id}, ${label.carrier}, ${label.tracking_number}, ${label.tracking_url}, 'label_created')
          on conflict (order_id, warehouse_id) do nothing returning ${columns(tx)}`;
        if (!s) continue;
        await tx`insert into shipment_events (shipment_id, status, at) values (${s.shipment_id}, 'label_created', now())`;
        await announce(tx, d.topic, { type: 'shipment.created', order_id: orderId, user_id: o.user_id, ...label, shipment_id: s.shipment_id, warehouse_id, at: Date.now() });
        made++;
      }
      return made;
    },

    /** On `order.cancelled`: the labels of parcels that have not left are voided. */
    async voidFor(tx: Tx, orderId: string): Promise<void> {
      await tx`update shipments set status = 'cancelled' where order_id = ${orderId} and status = 'label_created'`;
    },

    /** The parcels whose next scan is due at `now` (FULFILLMENT_SPEEDUP times real time), oldest first. */
    async due(now: Date, limit = 200): Promise<{ shipment_id: string; status: Moving }[]> {
      const wait = (s: Moving) => secondsIn(s, d.speedup);
      return d.sql<{ shipment_id: string; status: Moving }[]>`
        select s.shipment_id, s.status from shipments s
        cross join lateral (select max(e.at) as last_at from shipment_events e where e.shipment_id = s.shipment_id) e
        where s.status in ('label_created', 'in_transit', 'out_for_delivery')
          and e.last_at + make_interval(secs => case s.status when 'label_created' then ${wait('label_created')}::float8
                                                              when 'in_transit' then ${wait('in_transit')}::float8
                                                              else ${wait('out_for_delivery')}::float8 end) <= ${now}
        order by s.created_at limit ${limit}`;
    },

    /** The carrier's next scan of a parcel that is still `from` (a parcel moved meanwhile is left as it is). */
    scanNext: (shipmentId: string, from: Moving) =>
      move(shipmentId, (s) => (s.status === from && isMoving(s.status) ? [nextScan(s.status)!] : [])),

    /**
     * An admin marks a parcel shipped (in_transit) or delivered; marking it again changes nothing. Throws
     * not_found for an unknown parcel, conflict for one whose label was voided.
     */
    async mark(shipmentId: string, to: 'in_transit' | 'delivered'): Promise<ShipmentView> {
      const moved = await move(shipmentId, (s) => {
        const scans = scansTo(s.status, to);
        if (scans === null) throw new AppError('conflict', 'the label of this parcel was voided: its order is cancelled');
        return scans;
      });
      if (!moved) throw new AppError('not_found', 'no such shipment');
      if (moved.status === 'cancelled') throw new AppError('conflict', 'the label of this parcel was voided: its order is cancelled');
      const events = await d.sql<{ status: ShipmentStatus; at: Date }[]>`
        select status, at from shipment_events where shipment_id = ${shipmentId} order by at, status`;
      return { ...moved, events: events.map((e) => ({ status: e.status, at: e.at.toISOString() })) };
    },
  };
}

export type Shipments = ReturnType<typeof createShipments>;
