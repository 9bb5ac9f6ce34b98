-- Catalog search on PostgreSQL: a weighted tsvector and category slugs derived from each product, a vocabulary for
-- typo tolerance and autocomplete, a denormalised in_stock flag, and product.events written by triggers.

create extension if not exists pg_trgm with schema public;

-- Lower case, every run of non-alphanumerics one space, trimmed: how titles and queries are compared.
create function catalog_norm(t text) returns text
  language sql immutable parallel safe strict
  return btrim(regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g'));

-- Category names as URL slugs ('Home & Kitchen' -> 'home-kitchen'); `category=` matches any of them.
create function catalog_slugs(path text[]) returns text[]
  language sql immutable parallel safe strict
  return array(select btrim(regexp_replace(lower(c), '[^[:alnum:]]+', '-', 'g'), '-') from unnest(path) c);

-- The searchable document: title (weight A), brand (B), category names (C), the start of the description (D).
create function catalog_document(title text, brand text, path text[], description text) returns tsvector
  language sql immutable parallel safe
  return setweight(to_tsvector('english', coalesce(title, '')), 'A')
      || setweight(to_tsvector('english', coalesce(brand, '')), 'B')
      || setweight(to_tsvector('english', coalesce(array_to_string(path, ' '), '')), 'C')
      || setweight(to_tsvector('english', left(coalesce(description, ''), 1000)), 'D');

alter table products
  add column search_vector tsvector generated always as (catalog_document(title, brand, category_path, description)) stored,
  add column category_slugs text[] generated always as (catalog_slugs(category_path)) stored,
  -- Any warehouse has units for sale; kept by the catalog indexer from inventory (eventually consistent, < 2 s).
  add column in_stock boolean not null default false;

update products p set in_stock = true
where exists (select 1 from inventory i where i.product_id = p.product_id and i.available_count > 0);

create index products_search on products using gin (search_vector);
create index products_category_slugs on products using gin (category_slugs);
create index products_brand on products (lower(brand));
create index products_bestselling on products (sales_count desc, product_id);

-- Words, brands and categories of the catalog: typo candidates (trigram similarity), did-you-mean, autocomplete.
-- freq counts occurrences; exact after catalog_rebuild_terms(), approximate (never too low) in between.
create table catalog_terms (
  kind  text not null check (kind in ('word', 'brand', 'category')),
  term  text not null,
  label text not null,
  freq  integer not null check (freq >= 0),
  primary key (kind, term)
);
-- The operator class is named with the schema pg_trgm lives in, so this file also applies to a schema of its own.
do $$
begin
  execute format('create index catalog_terms_trgm on catalog_terms using gin (term %I.gin_trgm_ops)',
                 (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
                  where e.extname = 'pg_trgm'));
end $$;
create index catalog_terms_prefix on catalog_terms (kind, term text_pattern_ops);

-- The terms of some products (all when ids is null), one row per occurrence.
create function catalog_product_terms(ids uuid[]) returns table (kind text, term text, label text)
  language sql stable
  begin atomic
    select t.kind, t.term, t.label
    from products p
    cross join lateral (
      select 'word', w, w
      from regexp_split_to_table(catalog_norm(concat_ws(' ', p.title, p.brand, array_to_string(p.category_path, ' '))), ' ') w
      where length(w) between 2 and 40
      union all
      select 'brand', lower(p.brand), p.brand where p.brand is not null
      union all
      select 'category', s, c from unnest(p.category_slugs, p.category_path) x(s, c) where s <> ''
    ) t(kind, term, label)
    where ids is null or p.product_id = any(ids);
  end;

-- Adds the terms of new products (frequencies grow) or of changed ones (only unseen terms are added).
create function catalog_note_terms(ids uuid[], created boolean) returns void
  language sql
  begin atomic
    insert into catalog_terms (kind, term, label, freq)
    select kind, term, min(label), count(*) from catalog_product_terms(ids) group by kind, term
    order by kind, term -- rows locked in one order: concurrent batches cannot deadlock
    on conflict (kind, term) do update set freq = catalog_terms.freq + excluded.freq where created;
  end;

-- Recounts every term from the products table.
create function catalog_rebuild_terms() returns void
  language sql
  begin atomic
    delete from catalog_terms;
    insert into catalog_terms (kind, term, label, freq)
    select kind, term, min(label), count(*) from catalog_product_terms(null) group by kind, term;
  end;

select catalog_rebuild_terms();

-- Every change of a product or of its stock is announced on product.events through the outbox, in the
-- transaction that made it, whoever made it (catalog admin, drops, settlement). A session may set
-- flashline.product_events_topic (tests use their own topic) or flashline.product_events = 'off' (bulk loads and
-- the indexer's own bookkeeping, which announce nothing).
create function catalog_product_event() returns trigger
  language plpgsql
as $$
declare
  pid uuid := case when tg_op = 'DELETE' then old.product_id else new.product_id end;
  kind text := case
    when tg_table_name = 'inventory' then 'product.stock_changed'
    when tg_op = 'INSERT' then 'product.created'
    when tg_op = 'UPDATE' then 'product.updated'
    else 'product.deleted' end;
begin
  insert into outbox (topic, key, payload)
  values (coalesce(nullif(current_setting('flashline.product_events_topic', true), ''), 'product.events'),
          pid::text,
          jsonb_build_object('type', kind, 'v', 1, 'id', gen_random_uuid(), 'product_id', pid,
                             'at', floor(extract(epoch from clock_timestamp()) * 1000)::bigint));
  return null;
end $$;

create trigger products_event_insert_delete after insert or delete on products for each row
  when (current_setting('flashline.product_events', true) is distinct from 'off')
  execute function catalog_product_event();
create trigger products_event_update after update on products for each row
  when (current_setting('flashline.product_events', true) is distinct from 'off' and old.* is distinct from new.*)
  execute function catalog_product_event();
create trigger inventory_event_insert_delete after insert or delete on inventory for each row
  when (current_setting('flashline.product_events', true) is distinct from 'off')
  execute function catalog_product_event();
create trigger inventory_event_update after update on inventory for each row
  when (current_setting('flashline.product_events', true) is distinct from 'off' and old.* is distinct from new.*)
  execute function catalog_product_event();
