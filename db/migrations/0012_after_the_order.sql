-- After the order: the confirmation email moves from the drop saga to the notifications consumer, labels of a
-- cancelled order are voided, the analytics tables, abandoned-cart reminders and the dead letters replayed.

-- The notifications consumer sends every confirmation (keyed by order), so the saga no longer records one.
alter table orders drop column confirmation_sent_at;

-- A label voided because its order was cancelled before the parcel left.
alter table shipments drop constraint shipments_status_check;
alter table shipments add constraint shipments_status_check check (status in (
  'label_created', 'in_transit', 'out_for_delivery', 'delivered', 'cancelled'));
drop index shipments_moving;
create index shipments_moving on shipments (created_at)
  where status in ('label_created', 'in_transit', 'out_for_delivery');

-- Analytics (written by the analytics consumer alone). Sales as paid, per product, UTC day and currency.
create table sales_daily (
  product_id    uuid not null,
  day           date not null,
  currency      char(3) not null,
  units         bigint not null default 0,
  orders        bigint not null default 0,
  revenue_cents bigint not null default 0,
  primary key (product_id, day, currency)
);
create index sales_daily_day on sales_daily (day);

-- Money in (orders paid) and out (refunds confirmed by the provider) per UTC hour and currency.
create table revenue_hourly (
  hour           timestamptz not null,
  currency       char(3) not null,
  orders         bigint not null default 0,
  revenue_cents  bigint not null default 0,
  refunded_cents bigint not null default 0,
  primary key (hour, currency)
);

-- Product page views and cart adds per product and UTC day, flushed from Redis counters.
create table product_interest_daily (
  product_id uuid not null,
  day        date not null,
  views      bigint not null default 0,
  cart_adds  bigint not null default 0,
  primary key (product_id, day)
);
create index product_interest_daily_day on product_interest_daily (day);

-- Abandoned-cart reminders (cart/): one per cart state (its version), and the users who want none.
create table cart_reminders (
  cart_id uuid not null references carts on delete cascade,
  version bigint not null,
  user_id uuid not null references users on delete cascade,
  sent_at timestamptz not null default now(),
  primary key (cart_id, version)
);
create table cart_reminder_optouts (
  user_id uuid primary key references users on delete cascade,
  at      timestamptz not null default now()
);
create index carts_remindable on carts (updated_at) where user_id is not null;
-- The user's cart a guest cart was restored from (a reminder's link opened without signing in): merged back into
-- that cart, its lines are not counted twice.
alter table carts add column restored_from uuid;

-- Dead letters an operator replayed to their source (`npm run dead-letters -- replay`), by their place on the
-- dead-letter topic, so a replay sends each once.
create table dead_letter_replays (
  topic       text not null,
  partition   integer not null,
  "offset"    bigint not null,
  replayed_at timestamptz not null default now(),
  primary key (topic, partition, "offset")
);
