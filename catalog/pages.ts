import type { Sql } from '../platform/index.ts';

/**
 * Reads a product page from PostgreSQL as JSON text: every product field, the category slugs, the stock for
 * sale in each warehouse with its total, and `drop_id`, the scheduled or open drop the product is in (its units
 * then sell through the drop), else null. Null when there is no such product.
 */
export async function loadProductPage(sql: Sql, product_id: string): Promise<string | null> {
  const [row] = await sql<{ page: string }[]>`
    select json_build_object(
      'product_id', p.product_id, 'sku', p.sku, 'title', p.title, 'description', p.description, 'brand', p.brand,
      'category_path', p.category_path, 'category_slugs', p.category_slugs,
      'price_cents', p.price_cents, 'currency', p.currency,
      'rating_avg', p.rating_avg::float8, 'rating_count', p.rating_count, 'sales_count', p.sales_count,
      'images', p.images, 'attributes', p.attributes, 'max_per_order', p.max_per_order,
      'created_at', p.created_at, 'updated_at', p.updated_at,
      'drop_id', (select d.drop_id from drops d where d.product_id = p.product_id and d.status in ('scheduled', 'open')
                  order by d.starts_at limit 1),
      'stock', json_build_object(
        'available', coalesce(s.available, 0),
        'in_stock', coalesce(s.available, 0) > 0,
        'warehouses', coalesce(s.warehouses, '[]'))
    )::text as page
    from products p
    left join lateral (
      select sum(i.available_count)::bigint as available,
             json_agg(json_build_object('warehouse_id', w.warehouse_id, 'name', w.name, 'region', w.region,
                                        'available', i.available_count) order by w.name) as warehouses
      from inventory i join warehouses w on w.warehouse_id = i.warehouse_id
      where i.product_id = p.product_id
    ) s on true
    where p.product_id = ${product_id}`;
  return row?.page ?? null;
}
