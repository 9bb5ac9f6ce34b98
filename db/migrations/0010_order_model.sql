-- Orders after checkout, for drop and cart orders alike: the statuses of orders/transitions.ts, every total,
-- the warehouse of each line, shipments with their tracking, returns, refunds as the provider confirms them,
-- and the events each order.events consumer has processed.

alter table orders drop constraint orders_status_check;
drop index orders_pending;
drop index orders_confirmation_unsent;
update orders set status = 'placed' where status = 'pending';
update orders set status = 'paid' where status = 'confirmed';
alter table orders add constraint orders_status_check check (status in (
  'placed', 'paid', 'partially_shipped', 'shipped', 'delivered', 'cancelled', 'partially_returned', 'returned',
  'refunded'));
-- A drop order is placed once its payment is captured and paid once the sequencer records the purchase.
create index orders_placed on orders (created_at) where status = 'placed';
create index orders_confirmation_unsent on orders (created_at)
  where status = 'paid' and confirmation_sent_at is null and intent_id is not null;
create index orders_history on orders (user_id, created_at desc, order_id desc);
drop index orders_user;

alter table orders
  add column subtotal_cents bigint check (subtotal_cents >= 0),
  add column shipping_cents bigint not null default 0 check (shipping_cents >= 0),
  add column tax_cents bigint not null default 0 check (tax_cents >= 0),
  -- standard | express for a cart order; null for a drop order
  add column shipping_option text,
  -- the cart checkout an order came from; null for a drop order
  add column checkout_id uuid unique;
update orders set subtotal_cents = total_cents;
alter table orders alter column subtotal_cents set not null,
  add constraint orders_total_adds_up check (total_cents = subtotal_cents + shipping_cents + tax_cents);

-- The warehouse a line's units leave from (a cart order has a line per allocation; a drop order's line leaves
-- from the warehouse that gave the drop most units).
alter table order_items add column warehouse_id uuid references warehouses;
update order_items oi set warehouse_id = (
  select s.warehouse_id from orders o join drop_intents i on i.intent_id = o.intent_id
  join drop_stock s on s.drop_id = i.drop_id
  where o.order_id = oi.order_id order by s.quantity desc, s.warehouse_id limit 1);

-- A parcel: the lines of one warehouse of an order, with the carrier's label.
create table shipments (
  shipment_id     uuid primary key,
  order_id        uuid not null references orders,
  warehouse_id    uuid not null references warehouses,
  carrier         text not null,
  tracking_number text not null unique,
  tracking_url    text not null,
  status          text not null check (status in ('label_created', 'in_transit', 'out_for_delivery', 'delivered')),
  created_at      timestamptz not null default now(),
  shipped_at      timestamptz,
  delivered_at    timestamptz,
  unique (order_id, warehouse_id)
);
create index shipments_moving on shipments (created_at) where status <> 'delivered';

-- The carrier's scans of a shipment, once each.
create table shipment_events (
  shipment_id uuid not null references shipments,
  status      text not null check (status in ('label_created', 'in_transit', 'out_for_delivery', 'delivered')),
  at          timestamptz not null,
  primary key (shipment_id, status)
);

create table returns (
  return_id    uuid primary key,
  order_id     uuid not null references orders,
  status       text not null check (status in ('requested', 'received')),
  requested_at timestamptz not null default now(),
  received_at  timestamptz
);
create index returns_order on returns (order_id, requested_at);

create table return_lines (
  return_id  uuid not null references returns on delete cascade,
  product_id uuid not null references products,
  quantity   integer not null check (quantity > 0),
  reason     text not null check (length(reason) between 1 and 500),
  primary key (return_id, product_id)
);

-- Money going back: recorded as succeeded only once the provider confirmed it; a failed one stays visible
-- (status, attempts, last_error) and is tried again under the same idempotency key.
create table refunds (
  refund_id          uuid primary key,
  order_id           uuid not null references orders,
  payment_id         uuid not null references payments,
  return_id          uuid unique references returns,
  amount_cents       bigint not null check (amount_cents > 0),
  currency           char(3) not null,
  reason             text not null,
  status             text not null check (status in ('pending', 'succeeded', 'failed')),
  provider_refund_id text,
  attempts           integer not null default 0,
  last_error         text,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  succeeded_at       timestamptz
);
create index refunds_due on refunds (updated_at) where status <> 'succeeded';
create index refunds_order on refunds (order_id, created_at);

-- The order.events each consumer group has done the work of, so a redelivered event changes nothing.
create table processed_events (
  consumer     text not null,
  event_id     uuid not null,
  processed_at timestamptz not null default now(),
  primary key (consumer, event_id)
);

-- An order's timeline names the statuses it went through.
update order_events set type = 'placed' where type = 'created';
update order_events set type = 'paid' where type = 'confirmed';
