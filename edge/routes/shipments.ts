import { Hono } from 'hono';
import type { Shipments } from '../../fulfillment/index.ts';
import type { EdgeEnv } from '../env.ts';
import { idParam } from '../validate.ts';

/** Admin shipment routes: mark a parcel shipped or delivered; the caller mounts them behind the admin role. */
export const adminShipmentRoutes = (shipments: Pick<Shipments, 'mark'>) =>
  new Hono<EdgeEnv>()
    .post('/shipments/:shipment_id/ship', async (c) => c.json(await shipments.mark(idParam(c, 'shipment_id', 'shipment'), 'in_transit')))
    .post('/shipments/:shipment_id/deliver', async (c) => c.json(await shipments.mark(idParam(c, 'shipment_id', 'shipment'), 'delivered')));
