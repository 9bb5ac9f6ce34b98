-- The drop opener looks for pre-queued intents every second; this keeps that look-up off the whole table.
create index drop_intents_prequeued on drop_intents (drop_id, created_at) where status = 'prequeued';
