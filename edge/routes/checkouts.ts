import { Hono } from 'hono';
import { z } from 'zod';
import type { Availability, CartCheckout } from '../../checkout/index.ts';
import { shippingOptions } from '../../platform/index.ts';
import type { EdgeEnv } from '../env.ts';
import { idempotencyKey, idParam, jsonBody, parseWith } from '../validate.ts';

const patchBody = z
  .strictObject({ shipping_address_id: z.uuid().optional(), shipping_option: z.enum(shippingOptions).optional() })
  .refine((b) => b.shipping_address_id !== undefined || b.shipping_option !== undefined, 'name shipping_address_id, shipping_option or both');

const completeBody = z.strictObject({
  payment_method_id: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id such as pm_card_visa'),
  expected_total_cents: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

const availabilityQuery = z.strictObject({
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US').transform((s) => s.toUpperCase()),
  region: z.string().trim().min(1).max(100).optional(),
});

/** The cart checkout of the signed-in user; the caller mounts it behind authentication. */
export const checkoutRoutes = (checkouts: CartCheckout) =>
  new Hono<EdgeEnv>()
    .post('/checkouts', async (c) => {
      const key = idempotencyKey(c);
      return c.json(await checkouts.begin(c.get('user').user_id, key), 201);
    })
    .get('/checkouts/:checkout_id', async (c) => c.json(await checkouts.get(c.get('user').user_id, idParam(c, 'checkout_id', 'checkout'))))
    .patch('/checkouts/:checkout_id', async (c) => {
      const id = idParam(c, 'checkout_id', 'checkout');
      return c.json(await checkouts.update(c.get('user').user_id, id, await jsonBody(c, patchBody)));
    })
    .get('/checkouts/:checkout_id/shipping-options', async (c) =>
      c.json(await checkouts.shippingOptions(c.get('user').user_id, idParam(c, 'checkout_id', 'checkout'))),
    )
    .post('/checkouts/:checkout_id/complete', async (c) => {
      const id = idParam(c, 'checkout_id', 'checkout');
      const key = idempotencyKey(c);
      const body = await jsonBody(c, completeBody);
      return c.json(await checkouts.complete({ ...body, user_id: c.get('user').user_id, checkout_id: id, idempotency_key: key }), 201);
    })
    .delete('/checkouts/:checkout_id', async (c) =>
      c.json(await checkouts.release(c.get('user').user_id, idParam(c, 'checkout_id', 'checkout'))),
    );

/** A product's units by warehouse and its delivery estimates for a destination: public, like product pages. */
export const availabilityRoutes = (availability: Availability) =>
  new Hono<EdgeEnv>().get('/products/:product_id/availability', async (c) => {
    const id = idParam(c, 'product_id', 'product');
    const q = parseWith(availabilityQuery, c.req.query(), 'query');
    return c.json(await availability(id, q.country, q.region ?? null));
  });
