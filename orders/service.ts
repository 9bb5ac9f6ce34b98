import type Stripe from 'stripe';
import { createPaymentGateway } from '../checkout/index.ts';
import { topics } from '../contracts/index.ts';
import type { Logger, Sql } from '../platform/index.ts';
import { createCancel } from './cancel.ts';
import { createHistory } from './history.ts';
import { createRefunds } from './refunds.ts';
import { createReturns } from './returns.ts';

export interface OrdersDeps {
  sql: Sql;
  stripe: Stripe;
  logger: Logger;
  /** Days after delivery during which items may be returned (RETURN_WINDOW_DAYS). */
  returnWindowDays: number;
  /** Where order events are announced, through the outbox. Default `order.events`. */
  orderEventsTopic?: string;
}

/**
 * Orders after checkout, drop and cart orders alike: the shopper's history and each order in full, cancellation,
 * returns, and the refunds they give, confirmed by the payment provider (`retryRefunds` is the loop's pass for
 * those it has not confirmed yet).
 */
export function createOrders(d: OrdersDeps) {
  const topic = d.orderEventsTopic ?? topics.orderEvents.name;
  const refunds = createRefunds({ sql: d.sql, gateway: createPaymentGateway(d.stripe), logger: d.logger, topic });
  const history = createHistory(d.sql, d.returnWindowDays);
  const returns = createReturns({ sql: d.sql, refunds, topic, windowDays: d.returnWindowDays });
  const cancel = createCancel({ sql: d.sql, refunds, topic });
  return {
    list: history.list,
    get: history.get,
    /** Cancels the shopper's order (see createCancel) and answers it as it is now. */
    async cancel(userId: string, orderId: string) {
      await cancel(userId, orderId);
      return history.get(userId, orderId);
    },
    requestReturn: returns.request,
    receiveReturn: returns.receive,
    retryRefunds: () => refunds.retryDue(),
  };
}

export type Orders = ReturnType<typeof createOrders>;
