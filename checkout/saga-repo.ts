import { newId, newOrderEvent, type IntentStatus, type OrderEvent } from '../contracts/index.ts';
import { firstOfEach, type Sql, type Tx } from '../platform/index.ts';
import { estimatedDelivery, type OrderFacts } from './events.ts';
import type { IntentSnapshot, OrderStatus, PaymentStatus } from './transitions.ts';

/** A payments row of a drop intent. */
export interface PaymentRow {
  payment_id: string;
  user_id: string;
  idempotency_key: string;
  status: PaymentStatus;
  amount_cents: number;
  currency: string;
  payment_method_id: string | null;
  provider_payment_id: string | null;
}

/** The product a drop sells, and the warehouse its order lines leave from (the one that gave it most units). */
export interface DropProduct {
  product_id: string;
  sku: string;
  title: string;
  warehouse_id: string | null;
}

/** An intent with everything a saga step needs. */
export interface Loaded {
  snapshot: IntentSnapshot;
  payment: PaymentRow | null;
  drop: { price_cents: number; currency: string; kafka_partition: number; product: DropProduct };
  /** What the intent's order announces in its events; null without an order. */
  order: OrderFacts | null;
}

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

interface Row {
  intent_id: string;
  drop_id: string;
  user_id: string;
  quantity: number;
  status: IntentStatus;
  hold_expires_at: Date | null;
  payment_method_id: string | null;
  shipping_address_id: string | null;
  release_requested_at: Date | null;
  purchase_requested_at: Date | null;
  price_cents: number;
  currency: string;
  kafka_partition: number;
  product_id: string;
  sku: string;
  title: string;
  warehouse_id: string | null;
  payment_id: string | null;
  p_user_id: string;
  idempotency_key: string;
  payment_status: PaymentStatus;
  amount_cents: number;
  p_currency: string;
  p_payment_method_id: string | null;
  provider_payment_id: string | null;
  order_id: string | null;
  order_status: OrderStatus;
  order_user_id: string;
  order_total_cents: number;
  order_currency: string;
}

/** Reads an intent, its drop, its live (else latest failed) payment and its order; undefined if unknown. */
export async function loadIntent(sql: Sql | Tx, intentId: string): Promise<Loaded | undefined> {
  return (await loadIntents(sql, [intentId])).get(intentId.toLowerCase());
}

/** {@link loadIntent} for many intents in one statement, keyed by lower-case id; unknown ones are missing. */
export async function loadIntents(sql: Sql | Tx, intentIds: readonly string[]): Promise<Map<string, Loaded>> {
  const rows = await sql<Row[]>`
    select i.intent_id, i.drop_id, i.user_id, i.quantity, i.status, i.hold_expires_at, i.payment_method_id,
           i.shipping_address_id, i.release_requested_at, i.purchase_requested_at,
           d.price_cents::float8 as price_cents, d.currency, d.kafka_partition, d.product_id, pr.sku, pr.title,
           (select s.warehouse_id from drop_stock s where s.drop_id = d.drop_id
            order by s.quantity desc, s.warehouse_id limit 1) as warehouse_id,
           p.payment_id, p.user_id as p_user_id, p.idempotency_key, p.status as payment_status,
           p.amount_cents::float8 as amount_cents, p.currency as p_currency,
           p.payment_method_id as p_payment_method_id, p.provider_payment_id,
           o.order_id, o.status as order_status, o.user_id as order_user_id,
           o.total_cents::float8 as order_total_cents, o.currency as order_currency
    from drop_intents i
    join drops d on d.drop_id = i.drop_id
    join products pr on pr.product_id = d.product_id
    left join lateral (
      select * from payments where intent_id = i.intent_id order by (status <> 'failed') desc, created_at desc limit 1
    ) p on true
    left join orders o on o.intent_id = i.intent_id
    where i.intent_id = any(${intentIds as string[]}::uuid[])`;
  return new Map(rows.map((r) => [r.intent_id, loadedOf(r)]));
}

function loadedOf(r: Row): Loaded {
  const payment: PaymentRow | null =
    r.payment_id === null
      ? null
      : {
          payment_id: r.payment_id,
          user_id: r.p_user_id,
          idempotency_key: r.idempotency_key,
          status: r.payment_status,
          amount_cents: r.amount_cents,
          currency: r.p_currency,
          payment_method_id: r.p_payment_method_id,
          provider_payment_id: r.provider_payment_id,
        };
  return {
    snapshot: {
      intent_id: r.intent_id,
      drop_id: r.drop_id,
      user_id: r.user_id,
      quantity: r.quantity,
      status: r.status,
      hold_expires_at: ms(r.hold_expires_at),
      payment_method_id: r.payment_method_id,
      shipping_address_id: r.shipping_address_id,
      release_requested_at: ms(r.release_requested_at),
      purchase_requested_at: ms(r.purchase_requested_at),
      payment: payment && {
        payment_id: payment.payment_id,
        status: payment.status,
        auto: payment.idempotency_key === r.intent_id,
      },
      order:
        r.order_id === null
          ? null
          : {
              order_id: r.order_id,
              status: r.order_status,
            },
    },
    payment,
    drop: {
      price_cents: r.price_cents,
      currency: r.currency.trim(),
      kafka_partition: r.kafka_partition,
      product: { product_id: r.product_id, sku: r.sku, title: r.title, warehouse_id: r.warehouse_id },
    },
    order:
      r.order_id === null
        ? null
        : { order_id: r.order_id, user_id: r.order_user_id, total_cents: r.order_total_cents, currency: r.order_currency.trim() },
  };
}

/** A payment to record as pending before its charge. */
export type NewPayment = Omit<PaymentRow, 'status' | 'provider_payment_id' | 'payment_id'> & { intent_id: string };

/**
 * Records a pending payment before its charge, so a charge whose outcome is unknown is never forgotten.
 * Does nothing when the key is taken or the intent already has a live payment; answers the inserted row
 * (undefined when nothing was inserted).
 */
export async function insertPendingPayment(sql: Sql, p: NewPayment): Promise<PaymentRow | undefined> {
  return (await insertPendingPayments(sql, [p]))[0];
}

/** {@link insertPendingPayment} for many payments in one statement; answers in the same order. */
export async function insertPendingPayments(sql: Sql, ps: readonly NewPayment[]): Promise<(PaymentRow | undefined)[]> {
  const ids = ps.map(() => newId());
  const rows = await sql<PaymentRow[]>`
    insert into payments (payment_id, user_id, idempotency_key, amount_cents, currency, status, intent_id, payment_method_id)
    select v.payment_id, v.user_id, v.idempotency_key, v.amount_cents, v.currency, 'pending', v.intent_id, v.payment_method_id
    from unnest(${ids}::uuid[], ${ps.map((p) => p.user_id)}::uuid[], ${ps.map((p) => p.idempotency_key)}::text[],
                ${ps.map((p) => p.amount_cents)}::bigint[], ${ps.map((p) => p.currency)}::text[],
                ${ps.map((p) => p.intent_id)}::uuid[], ${ps.map((p) => p.payment_method_id)}::text[])
      as v(payment_id, user_id, idempotency_key, amount_cents, currency, intent_id, payment_method_id)
    on conflict do nothing
    returning payment_id, user_id, idempotency_key, status, amount_cents::float8 as amount_cents, currency,
              payment_method_id, provider_payment_id`;
  const inserted = new Map(rows.map((r) => [r.payment_id, { ...r, currency: r.currency.trim() }]));
  return ids.map((id) => inserted.get(id));
}

/** The payment with this idempotency key, if any, with the drop intent or the cart checkout it pays for and why it failed. */
export async function paymentByKey(
  sql: Sql,
  key: string,
): Promise<(PaymentRow & { intent_id: string | null; checkout_id: string | null; failure_code: string | null }) | undefined> {
  const [p] = await sql<(PaymentRow & { intent_id: string | null; checkout_id: string | null; failure_code: string | null })[]>`
    select payment_id, user_id, idempotency_key, status, amount_cents::float8 as amount_cents, currency,
           payment_method_id, provider_payment_id, intent_id, checkout_id, failure_code
    from payments where idempotency_key = ${key}`;
  return p;
}

async function addEvent(tx: Tx, orderId: string, type: string, data: Record<string, string | number | null>) {
  await tx`insert into order_events (event_id, order_id, type, data) values (${newId()}, ${orderId}, ${type}, ${tx.json(data)})`;
}

async function addOutbox(tx: Tx, topic: string, e: OrderEvent) {
  await tx`insert into outbox (topic, key, payload) values (${topic}, ${e.order_id}, ${tx.json(e)})`;
}

/** A captured payment to record: the payment as loaded, the provider's id of the charge, what it bought. */
export interface Paid {
  payment: Pick<PaymentRow, 'payment_id' | 'user_id' | 'amount_cents' | 'currency'>;
  provider_payment_id: string;
  product: DropProduct;
  quantity: number;
  now: number;
}

/**
 * In one statement for all: each payment becomes succeeded and, unless its intent already has one, a placed
 * order with its line, a 'placed' entry in its timeline and an `order.placed` message on `topic`. Idempotent. A
 * statement each was a round trip and a commit each, with a drop's sagas running a thousand at once. A payment
 * named twice is recorded once. The event's facts come from `payment` (the order copies them from that row).
 */
export async function recordPaid(sql: Sql, topic: string, all: readonly Paid[]): Promise<void> {
  const ps = firstOfEach(all, (a) => a.payment.payment_id);
  const orderIds = ps.map((a) => newId(a.now));
  const col = <T>(f: (a: Paid, i: number) => T) => ps.map(f);
  const payloads = col((a, i) => {
    const total = a.payment.amount_cents;
    const line = { ...a.product, quantity: a.quantity, unit_price_cents: total / a.quantity };
    return JSON.stringify(
      newOrderEvent({
        type: 'order.placed',
        order_id: orderIds[i]!,
        user_id: a.payment.user_id,
        source: 'drop',
        currency: a.payment.currency.trim(),
        subtotal_cents: total,
        shipping_cents: 0,
        tax_cents: 0,
        total_cents: total,
        items: [line],
        at: a.now,
      }),
    );
  });
  const created = col((a) => JSON.stringify({ payment_id: a.payment.payment_id, provider_payment_id: a.provider_payment_id }));
  // An order is created for a payment that is pending (succeeding now) or succeeded; each payment row is
  // updated once, with its order's id when that order was inserted.
  await sql`
    with v as (
      select * from unnest(${col((a) => a.payment.payment_id)}::uuid[], ${col((a) => a.provider_payment_id)}::text[],
                           ${orderIds}::uuid[], ${col(() => newId())}::uuid[], ${created}::text[], ${payloads}::text[],
                           ${col((a) => estimatedDelivery(a.now))}::date[])
        as v(payment_id, provider_payment_id, order_id, event_id, created, payload, delivery)
    ), pay as (
      select v.*, p.user_id, p.amount_cents, p.currency, p.intent_id from v
      join payments p on p.payment_id = v.payment_id and p.status in ('pending', 'succeeded')
    ), o as (
      insert into orders (order_id, user_id, status, subtotal_cents, total_cents, currency, shipping_address_id, intent_id,
                          estimated_delivery)
      select pay.order_id, pay.user_id, 'placed', pay.amount_cents, pay.amount_cents, pay.currency, i.shipping_address_id,
             i.intent_id, pay.delivery
      from pay join drop_intents i on i.intent_id = pay.intent_id
      on conflict (intent_id) do nothing
      returning order_id, intent_id
    ), paid as (
      update payments p set
        status = 'succeeded',
        provider_payment_id = case when p.status = 'pending' then v.provider_payment_id else p.provider_payment_id end,
        order_id = coalesce(o.order_id, p.order_id),
        updated_at = now()
      from v left join o on o.order_id = v.order_id
      where p.payment_id = v.payment_id and (p.status = 'pending' or o.order_id is not null)
    ), items as (
      insert into order_items (order_id, line_no, product_id, sku, title, quantity, unit_price_cents, currency, warehouse_id)
      select o.order_id, 1, pr.product_id, pr.sku, pr.title, i.quantity, d.price_cents, d.currency,
             (select s.warehouse_id from drop_stock s where s.drop_id = d.drop_id order by s.quantity desc, s.warehouse_id limit 1)
      from o join drop_intents i on i.intent_id = o.intent_id join drops d on d.drop_id = i.drop_id
      join products pr on pr.product_id = d.product_id
    ), ev as (
      insert into order_events (event_id, order_id, type, data)
      select v.event_id, o.order_id, 'placed', v.created::jsonb from o join v on v.order_id = o.order_id
    )
    insert into outbox (topic, key, payload) select ${topic}, o.order_id, v.payload::jsonb from o join v on v.order_id = o.order_id`;
}

/** Marks a pending payment failed with the provider's reason. */
export async function recordFailed(sql: Sql, paymentId: string, code: string): Promise<void> {
  await sql`update payments set status = 'failed', failure_code = ${code}, updated_at = now()
            where payment_id = ${paymentId} and status = 'pending'`;
}

/** An order to confirm: the intent's order as loaded, and when. */
export interface Confirmation {
  intent_id: string;
  now: number;
  order: OrderFacts;
}

/**
 * Placed drop orders → paid (the sequencer recorded the purchase), each with its timeline entry and `order.paid`
 * message on `topic`, once; all in one statement.
 */
export async function confirmOrders(sql: Sql, topic: string, cs: readonly Confirmation[]): Promise<void> {
  const events = cs.map((c) =>
    JSON.stringify(
      newOrderEvent({
        type: 'order.paid',
        order_id: c.order.order_id,
        user_id: c.order.user_id,
        amount_cents: c.order.total_cents,
        currency: c.order.currency,
        at: c.now,
      }),
    ),
  );
  await sql`
    with v as (
      select * from unnest(${cs.map((c) => c.intent_id)}::uuid[], ${cs.map((c) => c.order.order_id)}::uuid[],
                           ${cs.map(() => newId())}::uuid[], ${events}::text[]) as v(intent_id, order_id, event_id, payload)
    ), o as (
      update orders o set status = 'paid', updated_at = now()
      from v where o.intent_id = v.intent_id and o.order_id = v.order_id and o.status = 'placed'
      returning o.order_id, v.event_id, v.payload
    ), ev as (
      insert into order_events (event_id, order_id, type, data) select o.event_id, o.order_id, 'paid', '{}'::jsonb from o
    )
    insert into outbox (topic, key, payload) select ${topic}, o.order_id, o.payload::jsonb from o`;
}

/** A drop order whose hold was lost after its payment: its payment, why, and when. */
export interface Closing {
  intent_id: string;
  payment_id: string;
  reason: string;
  now: number;
  topic: string;
}

/**
 * The intent's placed order → refunded, with its timeline entry, the refund of its whole payment (succeeded: the
 * provider has confirmed it) and an `order.refunded` message; nothing when the order is not placed.
 */
async function closeOrderIn(tx: Tx, a: Closing) {
  const [o] = await tx<OrderFacts[]>`
    update orders set status = 'refunded', updated_at = now() where intent_id = ${a.intent_id} and status = 'placed'
    returning order_id, user_id, total_cents::float8 as total_cents, currency`;
  if (!o) return;
  await addEvent(tx, o.order_id, 'refunded', { reason: a.reason });
  if (o.total_cents === 0) return;
  const refund_id = newId(a.now);
  await tx`insert into refunds (refund_id, order_id, payment_id, amount_cents, currency, reason, status, attempts, succeeded_at)
           values (${refund_id}, ${o.order_id}, ${a.payment_id}, ${o.total_cents}, ${o.currency}, ${a.reason}, 'succeeded', 1, now())`;
  await addOutbox(
    tx,
    a.topic,
    newOrderEvent({
      type: 'order.refunded',
      order_id: o.order_id,
      user_id: o.user_id,
      refund_id,
      reason: a.reason,
      amount_cents: o.total_cents,
      currency: o.currency.trim(),
      at: a.now,
    }),
  );
}

/** In one transaction: the payment becomes refunded and the intent's placed order refunded, with events. */
export async function recordRefunded(sql: Sql, a: Closing): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`update payments set status = 'refunded', refunded_cents = amount_cents, updated_at = now()
             where payment_id = ${a.payment_id} and status = 'succeeded'`;
    await closeOrderIn(tx, a);
  });
}

/** A placed order whose payment is already refunded becomes refunded, with its events. */
export async function closeOrder(sql: Sql, a: Closing): Promise<void> {
  await sql.begin((tx) => closeOrderIn(tx, a));
}
