import { Hono } from 'hono';
import { z } from 'zod';
import type { HeldCheckout } from '../../checkout/index.ts';
import type { OrdersRepo } from '../../orders/index.ts';
import type { EdgeEnv } from '../env.ts';
import { idempotencyKey, idParam, jsonBody } from '../validate.ts';

const checkoutBody = z.strictObject({
  intent_id: z.uuid(),
  payment_method_id: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id such as pm_card_visa'),
  shipping_address_id: z.uuid(),
});

/** Checkout of a held drop unit and order tracking; the caller mounts them behind authentication. */
export const orderRoutes = (orders: OrdersRepo, checkout: HeldCheckout) =>
  new Hono<EdgeEnv>()
    .post('/orders/checkout', async (c) => {
      const key = idempotencyKey(c);
      const body = await jsonBody(c, checkoutBody);
      const result = await checkout({ ...body, user_id: c.get('user').user_id, idempotency_key: key });
      return c.json(result, 201);
    })
    .get('/orders/:order_id', async (c) => {
      return c.json(await orders.get(c.get('user').user_id, idParam(c, 'order_id', 'order')));
    });
