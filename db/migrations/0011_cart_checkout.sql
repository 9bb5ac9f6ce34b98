-- The cart checkout (checkout/cart/ owns checkouts and checkout_reservations): a shopper's cart reserved across
-- warehouses for a while, then paid for and turned into an order, all of it a saga whose state is here.

-- One lease table for every saga: a drop intent's or a cart checkout's, keyed by its id.
alter table saga_leases rename column intent_id to saga_id;

-- An answer kept for an Idempotency-Key is replayed as it was first given: json keeps its text (member order
-- included), where jsonb reordered the members of every object in it.
alter table idempotency_keys alter column response_body type json using response_body::json;

create table checkouts (
  checkout_id         uuid primary key,
  user_id             uuid not null references users,
  -- open: reserved, being filled in; paying: a payment in flight; completed: an order; released, expired: stock back
  status              text not null check (status in ('open', 'paying', 'completed', 'released', 'expired')),
  currency            char(3) not null,
  -- the lines as last priced: [{product_id, sku, title, quantity, unit_price_cents}], in the cart's order
  lines               jsonb not null,
  shipping_address_id uuid references addresses,
  shipping_option     text check (shipping_option in ('standard', 'express')),
  subtotal_cents      bigint not null check (subtotal_cents >= 0),
  shipping_cents      bigint not null default 0 check (shipping_cents >= 0),
  tax_cents           bigint not null default 0 check (tax_cents >= 0),
  total_cents         bigint not null check (total_cents = subtotal_cents + shipping_cents + tax_cents),
  expires_at          timestamptz not null,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  completed_at        timestamptz,
  -- when the Redis copy of the shopper's cart was brought up to date after the order
  cart_refreshed_at   timestamptz
);
-- One checkout at a time holds a shopper's stock.
create unique index checkouts_one_open on checkouts (user_id) where status in ('open', 'paying');
create index checkouts_due on checkouts (expires_at) where status = 'open';
create index checkouts_paying on checkouts (updated_at) where status = 'paying';
create index checkouts_cart_stale on checkouts (completed_at) where status = 'completed' and cart_refreshed_at is null;

-- Units a checkout holds (held), bought (sold) or gave back (released), per product and warehouse. While held they
-- are counted in inventory.reserved_count and are out of its available_count.
create table checkout_reservations (
  checkout_id  uuid not null references checkouts,
  product_id   uuid not null references products,
  warehouse_id uuid not null references warehouses,
  quantity     integer not null check (quantity > 0),
  status       text not null check (status in ('held', 'sold', 'released')),
  expires_at   timestamptz not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (checkout_id, product_id, warehouse_id)
);
create index checkout_reservations_held on checkout_reservations (product_id, warehouse_id) where status = 'held';

-- The cart checkout a payment pays for; at most one payment per checkout that has not failed.
alter table payments add column checkout_id uuid references checkouts;
create unique index payments_checkout_live on payments (checkout_id) where status <> 'failed';
create index payments_by_checkout on payments (checkout_id, created_at) where checkout_id is not null;
-- Captured without an order: what recovery refunds when the checkout's reservation has ended.
create index payments_checkout_unordered on payments (checkout_id) where status = 'succeeded' and order_id is null and checkout_id is not null;

alter table orders add constraint orders_checkout_fk foreign key (checkout_id) references checkouts;
