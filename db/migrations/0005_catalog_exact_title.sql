-- Search ranks an exact title match first; this index finds those titles without normalising every candidate row.
create index products_title_norm on products (catalog_norm(title));
