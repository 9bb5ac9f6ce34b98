-- Carts: the durable copy of every cart (Redis holds the copy reads are served from; cart/ owns both).
-- A guest cart has no user and is named by a signed token; a user has at most one cart. Every change
-- increments `version` under the row's lock, so a copy can tell which of two writes is newer.
create table carts (
  cart_id    uuid primary key,
  user_id    uuid unique references users on delete cascade,
  -- the currency of its lines; null while it has none
  currency   char(3),
  version    bigint not null default 0 check (version >= 0),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- 30 days (guests) or 90 days (users) after the last change; an expired cart reads as empty
  expires_at timestamptz not null
);
create index carts_expiry on carts (expires_at);

-- No foreign key to products: a line outlives its product and then reads as unavailable.
create table cart_items (
  cart_id            uuid not null references carts on delete cascade,
  product_id         uuid not null,
  quantity           integer not null check (quantity > 0),
  price_at_add_cents bigint not null check (price_at_add_cents >= 0),
  -- the price the shopper was last shown; a different price today is reported once as price_changed
  price_seen_cents   bigint not null check (price_seen_cents >= 0),
  added_at           timestamptz not null,
  updated_at         timestamptz not null,
  primary key (cart_id, product_id)
);

-- How many units of the product one cart line may hold; null: the platform's CART_LINE_LIMIT.
alter table products add column max_per_order integer check (max_per_order > 0);
