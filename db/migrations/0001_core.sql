-- Core schema. Ids are UUIDv7 made by the application; money is integer minor units beside a currency.

create table users (
  user_id       uuid primary key,
  email         text not null check (email = lower(email) and length(email) between 3 and 254),
  password_hash text not null,
  name          text not null check (length(name) between 1 and 200),
  role          text not null default 'customer' check (role in ('customer', 'admin')),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create unique index users_email_key on users (email);

create table addresses (
  address_id  uuid primary key,
  user_id     uuid not null references users on delete cascade,
  name        text not null,
  line1       text not null,
  line2       text,
  city        text not null,
  region      text,
  postal_code text not null,
  country     char(2) not null check (country = upper(country)),
  created_at  timestamptz not null default now()
);
create index addresses_user on addresses (user_id, created_at);

create table products (
  product_id    uuid primary key,
  sku           text not null unique,
  title         text not null,
  description   text not null default '',
  category_path text[] not null default '{}',
  price_cents   bigint not null check (price_cents >= 0),
  currency      char(3) not null,
  brand         text,
  rating_avg    numeric(3, 2) not null default 0 check (rating_avg between 0 and 5),
  rating_count  integer not null default 0 check (rating_count >= 0),
  sales_count   bigint not null default 0 check (sales_count >= 0),
  images        jsonb not null default '[]',
  attributes    jsonb not null default '{}',
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

create table warehouses (
  warehouse_id uuid primary key,
  name         text not null unique,
  region       text not null,
  created_at   timestamptz not null default now()
);

create table inventory (
  product_id      uuid not null references products on delete cascade,
  warehouse_id    uuid not null references warehouses,
  available_count integer not null check (available_count >= 0),
  reserved_count  integer not null default 0 check (reserved_count >= 0),
  updated_at      timestamptz not null default now(),
  primary key (product_id, warehouse_id)
);

create table drops (
  drop_id        uuid primary key,
  product_id     uuid not null references products,
  quantity       integer not null check (quantity > 0),
  price_cents    bigint not null check (price_cents >= 0),
  currency       char(3) not null,
  starts_at      timestamptz not null,
  ends_at        timestamptz check (ends_at is null or ends_at > starts_at),
  per_user_limit integer not null default 1 check (per_user_limit > 0),
  hold_seconds   integer not null default 300 check (hold_seconds > 0),
  queue_limit    integer not null check (queue_limit > 0),
  kafka_partition integer not null check (kafka_partition >= 0),
  status         text not null default 'scheduled' check (status in ('scheduled', 'open', 'sold_out', 'ended')),
  created_by     uuid references users,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index drops_status on drops (status, starts_at);

-- Where a drop's units came from, so that unsold units go back to the same warehouses.
create table drop_stock (
  drop_id      uuid not null references drops on delete cascade,
  warehouse_id uuid not null references warehouses,
  quantity     integer not null check (quantity > 0),
  primary key (drop_id, warehouse_id)
);

create table drop_intents (
  intent_id           uuid primary key,
  drop_id             uuid not null references drops,
  user_id             uuid not null references users,
  quantity            integer not null default 1 check (quantity > 0),
  status              text not null check (status in ('prequeued', 'queued', 'reserved', 'waitlisted', 'purchased',
                                                     'sold_out', 'payment_failed', 'expired', 'cancelled')),
  kafka_offset        bigint,
  payment_method_id   text,
  shipping_address_id uuid references addresses,
  hold_expires_at     timestamptz,
  order_id            uuid,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (drop_id, user_id)
);
create index drop_intents_drop_status on drop_intents (drop_id, status);

create table orders (
  order_id            uuid primary key,
  user_id             uuid not null references users,
  status              text not null check (status in ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'refunded')),
  total_cents         bigint not null check (total_cents >= 0),
  currency            char(3) not null,
  shipping_address_id uuid references addresses,
  intent_id           uuid unique references drop_intents,
  estimated_delivery  date,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
create index orders_user on orders (user_id, created_at desc);

alter table drop_intents add constraint drop_intents_order_fk foreign key (order_id) references orders;

create table order_items (
  order_id         uuid not null references orders on delete cascade,
  line_no          integer not null check (line_no > 0),
  product_id       uuid not null references products,
  sku              text not null,
  title            text not null,
  quantity         integer not null check (quantity > 0),
  unit_price_cents bigint not null check (unit_price_cents >= 0),
  currency         char(3) not null,
  primary key (order_id, line_no)
);

create table order_events (
  event_id   uuid primary key,
  order_id   uuid not null references orders on delete cascade,
  type       text not null,
  data       jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index order_events_order on order_events (order_id, created_at);

-- A unit held for a shopper: a drop hold (intent_id) or an ordinary checkout hold (checkout_key).
create table reservations (
  reservation_id uuid primary key,
  product_id     uuid not null references products,
  warehouse_id   uuid references warehouses,
  quantity       integer not null check (quantity > 0),
  drop_id        uuid references drops,
  intent_id      uuid unique references drop_intents,
  checkout_key   text,
  status         text not null check (status in ('held', 'committed', 'released', 'expired')),
  expires_at     timestamptz not null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  check ((intent_id is null) <> (checkout_key is null))
);
create index reservations_held_expiry on reservations (expires_at) where status = 'held';

create table payments (
  payment_id          uuid primary key,
  user_id             uuid not null references users,
  order_id            uuid references orders,
  idempotency_key     text not null unique,
  provider            text not null default 'stripe',
  provider_payment_id text unique,
  amount_cents        bigint not null check (amount_cents >= 0),
  currency            char(3) not null,
  status              text not null check (status in ('pending', 'succeeded', 'failed', 'refunded')),
  refunded_cents      bigint not null default 0 check (refunded_cents >= 0 and refunded_cents <= amount_cents),
  failure_code        text,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);

-- Messages written in the same transaction as the change they announce; a relay publishes them in id order.
create table outbox (
  id           bigserial primary key,
  topic        text not null,
  key          text not null,
  payload      jsonb not null,
  created_at   timestamptz not null default now(),
  published_at timestamptz
);
create index outbox_pending on outbox (id) where published_at is null;

-- The first answer to a request made with an Idempotency-Key, replayed for the same key and body.
create table idempotency_keys (
  user_id         uuid not null references users,
  key             text not null check (length(key) between 1 and 255),
  request_hash    text not null,
  response_status integer,
  response_body   jsonb,
  created_at      timestamptz not null default now(),
  primary key (user_id, key)
);
