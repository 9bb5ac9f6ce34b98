import { Hono } from 'hono';
import { z } from 'zod';
import type { HeldCheckout } from '../../checkout/index.ts';
import { historyQuery, returnBody, type Orders } from '../../orders/index.ts';
import type { EdgeEnv } from '../env.ts';
import { idempotencyKey, idParam, jsonBody, parseWith } from '../validate.ts';

const checkoutBody = z.strictObject({
  intent_id: z.uuid(),
  payment_method_id: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id such as pm_card_visa'),
  shipping_address_id: z.uuid(),
});

/**
 * Checkout of a held drop unit, the shopper's order history, an order in full, its cancellation and returns; the
 * caller mounts them behind authentication.
 */
export const orderRoutes = (orders: Orders, checkout: HeldCheckout) =>
  new Hono<EdgeEnv>()
    .post('/orders/checkout', async (c) => {
      const key = idempotencyKey(c);
      const body = await jsonBody(c, checkoutBody);
      const result = await checkout({ ...body, user_id: c.get('user').user_id, idempotency_key: key });
      return c.json(result, 201);
    })
    .get('/me/orders', async (c) => {
      const q = parseWith(historyQuery, c.req.query(), 'query');
      return c.json(await orders.list(c.get('user').user_id, q));
    })
    .get('/orders/:order_id', async (c) => c.json(await orders.get(c.get('user').user_id, idParam(c, 'order_id', 'order'))))
    .post('/orders/:order_id/cancel', async (c) =>
      c.json(await orders.cancel(c.get('user').user_id, idParam(c, 'order_id', 'order'))),
    )
    .post('/orders/:order_id/returns', async (c) => {
      const orderId = idParam(c, 'order_id', 'order');
      const { lines } = await jsonBody(c, returnBody);
      return c.json(await orders.requestReturn(c.get('user').user_id, orderId, lines), 201);
    });

/** Admin order routes; the caller mounts them behind the admin role. */
export const adminOrderRoutes = (orders: Orders) =>
  new Hono<EdgeEnv>().post('/returns/:return_id/receive', async (c) =>
    c.json(await orders.receiveReturn(idParam(c, 'return_id', 'return'))),
  );
