-- A shopper who leaves a drop's pre-queue gives up the place and may join the drop again: the intent left behind
-- stays, cancelled before any decision (decision_seq 0), beside the new one. Any other intent is one per user.
alter table drop_intents drop constraint drop_intents_drop_id_user_id_key;
create unique index drop_intents_one_per_user on drop_intents (drop_id, user_id)
  where not (status = 'cancelled' and decision_seq = 0);

-- The drop opener takes a pre-queue (status queued) before it hands it to Kafka, so none of it can be cancelled
-- from the pre-queue any more; what a crash left taken but not handed (no offset yet) goes at its next pass.
create index drop_intents_unhanded on drop_intents (drop_id) where status = 'queued' and kafka_offset is null;
