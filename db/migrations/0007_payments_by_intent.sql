-- The saga reads an intent's latest payment at every step (checkout/store.ts loadIntent) and recovery looks
-- payments up by intent; payments_intent_live covers only live ones, so that read scanned the whole table.
create index payments_by_intent on payments (intent_id, created_at) where intent_id is not null;
