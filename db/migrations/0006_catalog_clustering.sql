-- A search reads the table rows of the products it matches. Rows of one category side by side means a query for
-- "laptop" reads a few thousand pages instead of one per match. The seed loads products in this order;
-- `CLUSTER products` restores it after many changes. Free space per page keeps updated rows on their page.
create index products_category_order on products (category_slugs);
alter table products cluster on products_category_order;
alter table products set (fillfactor = 90);
