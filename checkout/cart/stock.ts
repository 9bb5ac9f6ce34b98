import type { Tx } from '../../platform/index.ts';
import type { StockRow } from './allocation.ts';

/**
 * The one module through which cart checkouts change inventory. Every function takes the inventory rows it touches
 * with row locks in one global order, (product_id, warehouse_id), so checkouts never deadlock one another, and
 * changes each row once by the sum of what is asked of it (a product named twice is one quantity). The database's
 * CHECK (available_count >= 0, reserved_count >= 0) stands behind the guards.
 */

/** Units of a product in one warehouse: a checkout's reservation, or a change of it. */
export interface RowUnits {
  product_id: string;
  warehouse_id: string;
  quantity: number;
}

/** The non-zero sums per inventory row, in the global lock order. */
export function sumByRow(units: readonly RowUnits[]): RowUnits[] {
  const sums = new Map<string, RowUnits>();
  for (const u of units) {
    const key = `${u.product_id}/${u.warehouse_id}`;
    const s = sums.get(key);
    if (s) s.quantity += u.quantity;
    else sums.set(key, { ...u });
  }
  return [...sums.values()]
    .filter((u) => u.quantity !== 0)
    .sort((a, b) => cmp(a.product_id, b.product_id) || cmp(a.warehouse_id, b.warehouse_id));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Thrown inside a transaction when a row lacks the units asked of it; the caller rolls back. */
export class StockShort extends Error {
  override name = 'StockShort';
}

/**
 * Locks every inventory row of these products for the rest of the transaction, in the global order, and answers
 * them with their warehouse's region and units for sale.
 */
export async function lockProducts(tx: Tx, productIds: readonly string[]): Promise<StockRow[]> {
  if (productIds.length === 0) return [];
  return tx<StockRow[]>`
    select i.product_id, i.warehouse_id, w.region, i.available_count as available
    from inventory i join warehouses w on w.warehouse_id = i.warehouse_id
    where i.product_id = any(${productIds as string[]}::uuid[])
    order by i.product_id, i.warehouse_id
    for update of i`;
}

/** Locks the rows named, in the global order (a no-op for rows this transaction already holds). */
async function lockRows(tx: Tx, rows: readonly RowUnits[]): Promise<void> {
  await tx`
    select 1 from inventory i
    join unnest(${rows.map((r) => r.product_id)}::uuid[], ${rows.map((r) => r.warehouse_id)}::uuid[]) as v(product_id, warehouse_id)
      on i.product_id = v.product_id and i.warehouse_id = v.warehouse_id
    order by i.product_id, i.warehouse_id
    for update of i`;
}

/**
 * Moves units between sale and reservation: a positive quantity takes units from available_count into
 * reserved_count, only where available_count has them (`available_count >= n`), a negative one gives them back.
 * Throws StockShort when any row lacks what is asked (or does not exist); nothing is then to be committed.
 */
export async function moveReserved(tx: Tx, moves: readonly RowUnits[]): Promise<void> {
  const rows = sumByRow(moves);
  if (rows.length === 0) return;
  await lockRows(tx, rows);
  const changed = await tx`
    update inventory i set available_count = i.available_count - v.n, reserved_count = i.reserved_count + v.n, updated_at = now()
    from unnest(${rows.map((r) => r.product_id)}::uuid[], ${rows.map((r) => r.warehouse_id)}::uuid[],
                ${rows.map((r) => r.quantity)}::int[]) as v(product_id, warehouse_id, n)
    where i.product_id = v.product_id and i.warehouse_id = v.warehouse_id
      and i.available_count >= v.n and i.reserved_count + v.n >= 0
    returning 1`;
  if (changed.length !== rows.length) throw new StockShort(`${rows.length - changed.length} inventory rows lack the units asked`);
}

/**
 * Reserved units become sold: they leave reserved_count (available_count lost them when they were reserved).
 * Throws StockShort when a row holds fewer reserved units than that.
 */
export async function sellReserved(tx: Tx, sold: readonly RowUnits[]): Promise<void> {
  const rows = sumByRow(sold);
  if (rows.length === 0) return;
  await lockRows(tx, rows);
  const changed = await tx`
    update inventory i set reserved_count = i.reserved_count - v.n, updated_at = now()
    from unnest(${rows.map((r) => r.product_id)}::uuid[], ${rows.map((r) => r.warehouse_id)}::uuid[],
                ${rows.map((r) => r.quantity)}::int[]) as v(product_id, warehouse_id, n)
    where i.product_id = v.product_id and i.warehouse_id = v.warehouse_id and i.reserved_count >= v.n
    returning 1`;
  if (changed.length !== rows.length) throw new StockShort(`${rows.length - changed.length} inventory rows hold fewer reserved units`);
}
