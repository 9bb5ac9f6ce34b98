-- Order worker: decision ordering, drop-order saga bookkeeping, drop settlement.

-- decision_seq: the per-drop seq of the latest decision applied to the intent. A decision is applied only
-- when its seq is higher, so duplicates and stale redeliveries from drop.decisions change nothing.
-- *_requested_at: when the worker last asked the sequencer to release the hold / to mark the intent purchased.
-- saga_lease_*: at most one process advances an intent's saga at a time; a lapsed lease may be taken over.
alter table drop_intents
  add column decision_seq          bigint not null default 0 check (decision_seq >= 0),
  add column release_requested_at  timestamptz,
  add column purchase_requested_at timestamptz,
  add column saga_lease_owner      text,
  add column saga_lease_until      timestamptz;
create index drop_intents_holds on drop_intents (hold_expires_at) where status = 'reserved';

-- The drop intent a payment pays for and the card it charges, so an interrupted charge can be replayed
-- with exactly the same parameters under the same idempotency key.
alter table payments
  add column intent_id         uuid references drop_intents,
  add column payment_method_id text;
-- At most one payment per intent that has not failed: a second charge for one intent cannot be recorded.
create unique index payments_intent_live on payments (intent_id) where status <> 'failed';
create index payments_pending on payments (created_at) where status = 'pending';

alter table orders add column confirmation_sent_at timestamptz;
create index orders_pending on orders (created_at) where status = 'pending';
create index orders_confirmation_unsent on orders (created_at)
  where status = 'confirmed' and confirmation_sent_at is null and intent_id is not null;

-- When a finished drop's unsold units went back to inventory; set exactly once.
alter table drops add column settled_at timestamptz;
create index drops_unsettled on drops (starts_at) where settled_at is null;
