export { startFulfillment, type Fulfillment, type FulfillmentOptions } from './consumer.ts';
export { createShipments, type Shipments, type ShipmentView } from './shipments.ts';
