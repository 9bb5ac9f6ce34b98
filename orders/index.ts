export type { OrderSummary, OrderView } from './history.ts';
export { followShipments, lockOrder, announce, type LockedOrder } from './moves.ts';
export type { ReturnView } from './returns.ts';
export { historyQuery, returnBody } from './schemas.ts';
export { createOrders, type Orders, type OrdersDeps } from './service.ts';
export { canMove, fulfillmentStatus, orderStatuses, type OrderStatus, type ShipmentStatus } from './transitions.ts';
export { startOrderEventConsumer, type OrderEventConsumer, type OrderEventConsumerOptions } from './event-consumer.ts';
