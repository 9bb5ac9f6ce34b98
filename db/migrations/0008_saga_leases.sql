-- Saga leases in a table of their own. On drop_intents every take, renewal and release waited behind the
-- decision consumer's transactions, which rewrite those same rows by the thousand while a drop sells out.
create table saga_leases (
  intent_id uuid primary key,
  owner     text not null,
  until     timestamptz not null
);
alter table drop_intents drop column saga_lease_owner, drop column saga_lease_until;
