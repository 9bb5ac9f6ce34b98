import type Stripe from 'stripe';
import { newId, newOrderEvent, type OrderEventInput } from '../contracts/index.ts';
import type { Runtime } from '../platform/runtime.ts';
import { signedIn, tag } from './helpers.ts';

/** One product of a fixture order: its price and the units taken from each of its warehouses, in order. */
export interface FixtureLine {
  price_cents: number;
  /** Units per warehouse: [2, 1] takes 2 from the fixture's first warehouse and 1 from its second. */
  units: number[];
}

export interface FixtureOrder {
  order_id: string;
  user_id: string;
  /** A bearer token of the shopper. */
  token: string;
  email: string;
  products: string[];
  warehouses: string[];
  total_cents: number;
  provider_payment_id: string;
}

/** Units each warehouse holds of each fixture product before the order takes its own. */
export const FIXTURE_STOCK = 20;

/**
 * A paid cart order as the cart checkout writes it: products with stock in two warehouses (the order's units
 * already taken out), a PaymentIntent charged at the local Stripe-compatible server, the payment, the order
 * (paid), a line per warehouse allocation, its timeline (placed, paid) and `order.placed` + `order.paid` in the
 * outbox for `topic`. The shopper is a new user unless `user` names one; `like` sells the products of an earlier
 * fixture order from its warehouses again.
 */
export async function createPaidOrder(
  rt: Runtime,
  stripe: Stripe,
  o: {
    topic: string;
    lines?: FixtureLine[];
    shipping_cents?: number;
    tax_cents?: number;
    user?: { user_id: string; token: string };
    like?: Pick<FixtureOrder, 'products' | 'warehouses'>;
  },
): Promise<FixtureOrder> {
  const t = tag();
  const spec = o.lines ?? [{ price_cents: 2_500, units: [1] }];
  const user = o.user ?? (await signedIn(rt));
  const [{ email }] = await rt.sql<[{ email: string }]>`select email from users where user_id = ${user.user_id}`;
  const warehouses = o.like?.warehouses ?? [newId(), newId()];
  const products = o.like?.products ?? spec.map(() => newId());
  const subtotal = spec.reduce((s, l) => s + l.price_cents * l.units.reduce((a, b) => a + b, 0), 0);
  const shipping = o.shipping_cents ?? 500;
  const tax = o.tax_cents ?? Math.round(subtotal * 0.1);
  const total = subtotal + shipping + tax;
  const order_id = newId();
  const checkout_id = newId();
  const pi = await stripe.paymentIntents.create(
    { amount: total, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { checkout_id } },
    { idempotencyKey: `fixture-${checkout_id}` },
  );
  const items = spec.flatMap((l, p) =>
    l.units.flatMap((n, w) => (n === 0 ? [] : [{ product_id: products[p]!, warehouse_id: warehouses[w]!, quantity: n, unit_price_cents: l.price_cents }])),
  );
  const at = Date.now();
  const events: OrderEventInput[] = [
    {
      type: 'order.placed',
      order_id,
      user_id: user.user_id,
      source: 'cart',
      currency: 'USD',
      subtotal_cents: subtotal,
      shipping_cents: shipping,
      tax_cents: tax,
      total_cents: total,
      items: items.map((i, n) => ({ ...i, sku: `ORD-${t}-${n}`, title: `Order product ${t} ${n}` })),
      at,
    },
    { type: 'order.paid', order_id, user_id: user.user_id, amount_cents: total, currency: 'USD', at },
  ];
  await rt.sql.begin(async (tx) => {
    if (o.like === undefined) {
      await tx`insert into warehouses ${tx(warehouses.map((warehouse_id, i) => ({ warehouse_id, name: `order-${t}-${i}`, region: 'test' })))}`;
      await tx`insert into products ${tx(
        products.map((product_id, i) => ({ product_id, sku: `ORD-${t}-${i}`, title: `Order product ${t} ${i}`, price_cents: spec[i]!.price_cents, currency: 'USD' })),
      )}`;
      const stock = products.flatMap((product_id) => warehouses.map((warehouse_id) => ({ product_id, warehouse_id, available_count: FIXTURE_STOCK })));
      await tx`insert into inventory ${tx(stock)}`;
    }
    for (const i of items) {
      await tx`update inventory set available_count = available_count - ${i.quantity}
               where product_id = ${i.product_id} and warehouse_id = ${i.warehouse_id}`;
    }
    // The completed checkout it came from, as the cart checkout leaves it.
    await tx`insert into checkouts (checkout_id, user_id, status, currency, lines, subtotal_cents, shipping_cents, tax_cents,
                                    total_cents, shipping_option, expires_at, completed_at, cart_refreshed_at)
             values (${checkout_id}, ${user.user_id}, 'completed', 'USD', '[]', ${subtotal}, ${shipping}, ${tax}, ${total},
                     'standard', now(), now(), now())`;
    await tx`insert into orders (order_id, user_id, status, subtotal_cents, shipping_cents, tax_cents, total_cents, currency,
                                 shipping_option, checkout_id, estimated_delivery)
             values (${order_id}, ${user.user_id}, 'paid', ${subtotal}, ${shipping}, ${tax}, ${total}, 'USD', 'standard',
                     ${checkout_id}, current_date + 5)`;
    await tx`insert into order_items ${tx(
      items.map((i, n) => ({ order_id, line_no: n + 1, sku: `ORD-${t}-${n}`, title: `Order product ${t} ${n}`, currency: 'USD', ...i })),
    )}`;
    await tx`insert into payments (payment_id, user_id, order_id, checkout_id, idempotency_key, provider_payment_id, amount_cents, currency, status)
             values (${newId()}, ${user.user_id}, ${order_id}, ${checkout_id}, ${`checkout-${checkout_id}`}, ${pi.id}, ${total}, 'USD', 'succeeded')`;
    await tx`insert into order_events (event_id, order_id, type, data, created_at)
             values (${newId()}, ${order_id}, 'placed', '{}', clock_timestamp()), (${newId()}, ${order_id}, 'paid', '{}', clock_timestamp())`;
    for (const e of events) {
      await tx`insert into outbox (topic, key, payload) values (${o.topic}, ${order_id}, ${tx.json(newOrderEvent(e))})`;
    }
  });
  return { order_id, user_id: user.user_id, token: user.token, email, products, warehouses, total_cents: total, provider_payment_id: pi.id };
}

/** The units a warehouse holds of a product now. */
export async function stockOf(rt: Runtime, product_id: string, warehouse_id: string): Promise<number> {
  const [row] = await rt.sql<{ n: number }[]>`
    select available_count as n from inventory where product_id = ${product_id} and warehouse_id = ${warehouse_id}`;
  return row?.n ?? 0;
}

/** Moves the order to delivered as fulfillment would (shipped, then delivered), `daysAgo` days back. */
export async function markDelivered(rt: Runtime, order_id: string, daysAgo = 0): Promise<void> {
  await rt.sql.begin(async (tx) => {
    await tx`update orders set status = 'delivered' where order_id = ${order_id}`;
    for (const type of ['shipped', 'delivered']) {
      await tx`insert into order_events (event_id, order_id, type, data, created_at)
               values (${newId()}, ${order_id}, ${type}, '{}', clock_timestamp() - make_interval(days => ${daysAgo}))`;
    }
  });
}
