import { topics, type OrderEvent } from '../contracts/index.ts';
import { startOrderEventConsumer, type OrderEventConsumerOptions } from '../orders/index.ts';
import { startLoop, type Closer, type Refusal, type Runtime, type Tx } from '../platform/index.ts';
import { createShipments } from './shipments.ts';

/** An order no parcel can be made for; its event is dead-lettered (and nothing of its work kept). */
class Unshippable extends Error {}

/** `groupId` defaults to `fulfillment`; `topic` is also where shipment events are announced. */
export interface FulfillmentOptions extends OrderEventConsumerOptions {
  /** How often the carrier's scans are looked for. Default 1000 ms. */
  scanIntervalMs?: number;
}

export interface Fulfillment {
  /** Resolves once the consumer has joined its group. */
  ready: Promise<void>;
  /** One pass of the scan loop: the parcels it moved. */
  scanOnce(): Promise<number>;
  /** Stops the consumer (committing what it finished) and the scan loop, then its producer. */
  closer: Closer;
}

/**
 * Fulfillment: a consumer group on `order.events` that makes a parcel per warehouse of each paid order (with the
 * carrier stand-in's label) and voids the labels of a cancelled order, each event's work in one transaction with
 * its processed_events row, so a redelivered event changes nothing; and a loop that scans parcels on at
 * FULFILLMENT_SPEEDUP times real time (in transit, out for delivery, delivered), moving each order along. An order
 * whose lines can leave from no warehouse is dead-lettered. A new group starts at the topic's beginning: every
 * paid order needs its parcels, and making them is idempotent.
 */
export async function startFulfillment(rt: Runtime, o: FulfillmentOptions = {}): Promise<Fulfillment> {
  const topic = o.topic ?? topics.orderEvents.name;
  const groupId = o.groupId ?? 'fulfillment';
  const log = rt.logger.child({ component: 'fulfillment' });
  const shipments = createShipments({ sql: rt.sql, topic, speedup: rt.config.FULFILLMENT_SPEEDUP });

  /** Does an event's work in one transaction with its processed_events row; nothing when it was done before. */
  const once = (eventId: string, work: (tx: Tx) => Promise<void>) =>
    rt.sql.begin(async (tx) => {
      const [fresh] = await tx`insert into processed_events (consumer, event_id) values (${groupId}, ${eventId})
                               on conflict do nothing returning event_id`;
      if (fresh) await work(tx);
    });

  async function handle(events: OrderEvent[]): Promise<Refusal[]> {
    const refused: Refusal[] = [];
    for (const [index, e] of events.entries()) {
      try {
        if (e.type === 'order.paid') {
          await once(e.event_id, async (tx) => {
            if ((await shipments.createFor(tx, e.order_id)) === null) throw new Unshippable(`order ${e.order_id} has a line that leaves from no warehouse`);
          });
        } else if (e.type === 'order.cancelled') {
          await once(e.event_id, (tx) => shipments.voidFor(tx, e.order_id));
        }
      } catch (err) {
        if (!(err instanceof Unshippable)) throw err;
        refused.push({ index, reason: err.message });
      }
    }
    return refused;
  }

  const consumer = await startOrderEventConsumer(rt, { ...o, topic, groupId, logger: log, handle });
  const scanOnce = async () => {
    const due = await shipments.due(new Date());
    for (const s of due) await shipments.scanNext(s.shipment_id, s.status);
    return due.length;
  };
  const loop = startLoop('shipment scans', o.scanIntervalMs ?? 1_000, scanOnce, log);
  const close = async () => {
    await consumer.stop();
    await loop.stop();
  };
  return { ready: consumer.ready, scanOnce, closer: { name: 'fulfillment', close } };
}
