import type { Tx } from '../platform/index.ts';

/**
 * Puts units back on sale in the warehouses they left from (a row is made for a warehouse that had none); a unit
 * that left from no recorded warehouse stays out. Rows are changed in key order, so two restocks never deadlock.
 */
export async function restock(
  tx: Tx,
  all: readonly { product_id: string; warehouse_id: string | null; quantity: number }[],
): Promise<void> {
  const units = all.filter((u) => u.warehouse_id !== null);
  if (units.length === 0) return;
  await tx`
    insert into inventory (product_id, warehouse_id, available_count)
    select product_id, warehouse_id, sum(quantity)::int
    from unnest(${units.map((u) => u.product_id)}::uuid[], ${units.map((u) => u.warehouse_id!)}::uuid[],
                ${units.map((u) => u.quantity)}::int[]) as v(product_id, warehouse_id, quantity)
    group by product_id, warehouse_id
    order by product_id, warehouse_id
    on conflict (product_id, warehouse_id) do update
      set available_count = inventory.available_count + excluded.available_count, updated_at = now()`;
}
