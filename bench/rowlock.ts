import { Hono } from 'hono';
import type Stripe from 'stripe';
import { z } from 'zod';
import { createPaymentGateway, estimatedDelivery } from '../checkout/index.ts';
import { isId, newId, newOrderEvent } from '../contracts/index.ts';
import { type EdgeEnv, jsonBody, requireAuth } from '../edge/index.ts';
import { AppError, type Sql } from '../platform/index.ts';

const buyBody = z.strictObject({
  payment_method_id: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/),
  shipping_address_id: z.uuid(),
});

/**
 * The approach the drop engine replaces, for the benchmark's baseline: a synchronous purchase in the request.
 * `POST /rowlock/:product_id/:warehouse_id/buy` takes a unit with one row-locking
 * `UPDATE inventory … WHERE … AND available_count > 0` (410 when none is left), charges the card through the
 * same payment gateway as the drop saga, then creates the order as the saga does (payment, order, item, event,
 * outbox message) in one transaction and answers 201. A declined card gives the unit back (402).
 * Mounted only by the benchmark's own edge process, behind the edge's middleware and bearer auth.
 */
export function rowlockRoutes(deps: { sql: Sql; stripe: Stripe; jwtSecret: string; orderEventsTopic: string }) {
  const { sql } = deps;
  const gateway = createPaymentGateway(deps.stripe);

  async function putBack(productId: string, warehouseId: string) {
    await sql`update inventory set available_count = available_count + 1, reserved_count = reserved_count - 1,
              updated_at = now() where product_id = ${productId} and warehouse_id = ${warehouseId}`;
  }

  return new Hono<EdgeEnv>()
    .use(requireAuth(deps.jwtSecret))
    .post('/rowlock/:product_id/:warehouse_id/buy', async (c) => {
      const productId = c.req.param('product_id');
      const warehouseId = c.req.param('warehouse_id');
      if (!isId(productId) || !isId(warehouseId)) throw new AppError('not_found', 'no such product');
      const body = await jsonBody(c, buyBody);
      const userId = c.get('user').user_id;

      const taken = await sql<{ price_cents: string; currency: string }[]>`
        update inventory i set available_count = available_count - 1, reserved_count = reserved_count + 1, updated_at = now()
        from products p
        where i.product_id = ${productId} and i.warehouse_id = ${warehouseId} and p.product_id = i.product_id
          and i.available_count > 0
        returning p.price_cents, p.currency`;
      const unit = taken[0];
      if (!unit) throw new AppError('gone', 'the product is sold out', { details: { reason: 'sold_out' } });

      const paymentId = newId();
      const amount = Number(unit.price_cents);
      const currency = unit.currency.trim();
      const outcome = await gateway.charge({
        idempotency_key: `rowlock-${paymentId}`,
        amount_cents: amount,
        currency,
        payment_method_id: body.payment_method_id,
        metadata: { product_id: productId, user_id: userId },
      });
      if (outcome.kind !== 'succeeded') {
        await putBack(productId, warehouseId);
        throw new AppError(outcome.kind === 'declined' ? 'unprocessable' : 'unavailable', 'the payment did not go through');
      }

      const now = Date.now();
      const orderId = newId(now);
      await sql.begin(async (tx) => {
        await tx`insert into orders (order_id, user_id, status, subtotal_cents, total_cents, currency, shipping_address_id,
                                     estimated_delivery)
                 values (${orderId}, ${userId}, 'paid', ${amount}, ${amount}, ${currency}, ${body.shipping_address_id},
                         ${estimatedDelivery(now)}::date)`;
        const [item] = await tx<{ sku: string; title: string }[]>`
          insert into order_items (order_id, line_no, product_id, sku, title, quantity, unit_price_cents, currency, warehouse_id)
          select ${orderId}, 1, p.product_id, p.sku, p.title, 1, p.price_cents, p.currency, ${warehouseId}
          from products p where p.product_id = ${productId} returning sku, title`;
        await tx`insert into payments (payment_id, user_id, order_id, idempotency_key, amount_cents, currency, status,
                                       provider_payment_id, payment_method_id)
                 values (${paymentId}, ${userId}, ${orderId}, ${`rowlock-${paymentId}`}, ${amount}, ${currency}, 'succeeded',
                         ${outcome.provider_payment_id}, ${body.payment_method_id})`;
        await tx`insert into order_events (event_id, order_id, type, data)
                 values (${newId()}, ${orderId}, 'paid', ${tx.json({ payment_id: paymentId })})`;
        const event = newOrderEvent({
          type: 'order.placed',
          order_id: orderId,
          user_id: userId,
          source: 'drop',
          currency,
          subtotal_cents: amount,
          shipping_cents: 0,
          tax_cents: 0,
          total_cents: amount,
          items: [{ product_id: productId, ...item!, quantity: 1, unit_price_cents: amount, warehouse_id: warehouseId }],
          at: now,
        });
        await tx`insert into outbox (topic, key, payload) values (${deps.orderEventsTopic}, ${orderId}, ${tx.json(event)})`;
        await tx`update inventory set reserved_count = reserved_count - 1, updated_at = now()
                 where product_id = ${productId} and warehouse_id = ${warehouseId}`;
      });
      return c.json({ order_id: orderId, status: 'paid' }, 201);
    });
}
