export { createOrdersRepo, type OrdersRepo, type OrderView } from './repo.ts';
