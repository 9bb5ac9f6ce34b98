import type { Sql, Tx } from '../platform/index.ts';
import type { CartLine, CartState } from './model.ts';
import { lineLimit, type ProductRule } from './rules.ts';

interface CartRow {
  cart_id: string;
  user_id: string | null;
  currency: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
}

interface ItemRow {
  cart_id: string;
  product_id: string;
  quantity: number;
  price_at_add_cents: number;
  price_seen_cents: number;
  added_at: Date;
  updated_at: Date;
}

/** Which cart: a guest cart by its id (never a user's), a user's cart, or any cart by its id (`any_id`). */
export type CartRef = { cart_id: string } | { user_id: string } | { any_id: string };

const stateOf = (row: CartRow, items: ItemRow[]): CartState => ({
  cart_id: row.cart_id,
  user_id: row.user_id,
  currency: row.currency?.trim() ?? null,
  version: row.version,
  created_at: row.created_at.getTime(),
  updated_at: row.updated_at.getTime(),
  expires_at: row.expires_at.getTime(),
  lines: items
    .filter((i) => i.cart_id === row.cart_id)
    .map((i) => ({
      product_id: i.product_id,
      quantity: i.quantity,
      price_at_add_cents: i.price_at_add_cents,
      price_seen_cents: i.price_seen_cents,
      added_at: i.added_at.getTime(),
      updated_at: i.updated_at.getTime(),
    })),
});

const where = (sql: Sql | Tx, ref: CartRef) =>
  'user_id' in ref
    ? sql`user_id = ${ref.user_id}`
    : 'any_id' in ref
      ? sql`cart_id = ${ref.any_id}`
      : sql`cart_id = ${ref.cart_id} and user_id is null`;

const cartColumns = (sql: Sql | Tx) =>
  sql`cart_id, user_id, currency, version::float8 as version, created_at, updated_at, expires_at`;

async function itemsOf(sql: Sql | Tx, cartIds: string[]): Promise<ItemRow[]> {
  if (cartIds.length === 0) return [];
  return sql<ItemRow[]>`
    select cart_id, product_id, quantity, price_at_add_cents::float8 as price_at_add_cents,
           price_seen_cents::float8 as price_seen_cents, added_at, updated_at
    from cart_items where cart_id = any(${cartIds}::uuid[])
    order by added_at, product_id`;
}

const sameLine = (a: CartLine, b: CartLine) =>
  a.quantity === b.quantity &&
  a.price_at_add_cents === b.price_at_add_cents &&
  a.price_seen_cents === b.price_seen_cents &&
  a.updated_at === b.updated_at;

/** Carts in PostgreSQL: the durable copy, changed only under the cart row's lock. */
export function createCartRepo(sql: Sql) {
  return {
    /** The cart as committed, expired or not; null when there is none. */
    async load(ref: CartRef): Promise<CartState | null> {
      const [row] = await sql<CartRow[]>`select ${cartColumns(sql)} from carts where ${where(sql, ref)}`;
      return row ? stateOf(row, await itemsOf(sql, [row.cart_id])) : null;
    },

    /** Locks the cart's row for the rest of the transaction and returns it; null when there is none. */
    async lock(tx: Tx, ref: CartRef): Promise<CartState | null> {
      const [row] = await tx<
        CartRow[]
      >`select ${cartColumns(tx)} from carts where ${where(tx, ref)} for update`;
      return row ? stateOf(row, await itemsOf(tx, [row.cart_id])) : null;
    },

    /**
     * Locks a guest cart and a user's cart together, in cart id order, so two merges (or a merge and a change)
     * wait for each other instead of deadlocking. `guest` is null when the id names no guest cart.
     */
    async lockPair(
      tx: Tx,
      guestId: string,
      userId: string,
    ): Promise<{ guest: CartState | null; user: CartState | null }> {
      const rows = await tx<CartRow[]>`
        select ${cartColumns(tx)} from carts
        where (cart_id = ${guestId} and user_id is null) or user_id = ${userId}
        order by cart_id for update`;
      const items = await itemsOf(
        tx,
        rows.map((r) => r.cart_id),
      );
      const find = (p: (r: CartRow) => boolean) => {
        const row = rows.find(p);
        return row ? stateOf(row, items) : null;
      };
      return { guest: find((r) => r.user_id === null), user: find((r) => r.user_id === userId) };
    },

    /** Inserts an empty cart at version 0 (the transaction holds its row); a user who has one keeps it. */
    async create(
      tx: Tx,
      c: { cart_id: string; user_id: string | null; now: number; expires_at: number },
    ): Promise<void> {
      const now = new Date(c.now);
      await tx`insert into carts (cart_id, user_id, currency, version, created_at, updated_at, expires_at)
               values (${c.cart_id}, ${c.user_id}, null, 0, ${now}, ${now}, ${new Date(c.expires_at)})
               on conflict (user_id) do nothing`;
    },

    /**
     * Writes `after` over `before` (the locked row): lines gone are deleted, new or changed lines written, and the
     * row's version incremented. Returns the new version.
     */
    async save(tx: Tx, before: CartState, after: CartState): Promise<number> {
      const kept = after.lines.map((l) => l.product_id);
      await tx`delete from cart_items where cart_id = ${before.cart_id} and not (product_id = any(${kept}::uuid[]))`;
      const old = new Map(before.lines.map((l) => [l.product_id, l]));
      const changed = after.lines.filter((l) => {
        const o = old.get(l.product_id);
        return o === undefined || !sameLine(o, l);
      });
      if (changed.length > 0) {
        const rows = changed.map((l) => ({
          cart_id: before.cart_id,
          product_id: l.product_id,
          quantity: l.quantity,
          price_at_add_cents: l.price_at_add_cents,
          price_seen_cents: l.price_seen_cents,
          added_at: new Date(l.added_at),
          updated_at: new Date(l.updated_at),
        }));
        await tx`insert into cart_items ${tx(rows)}
                 on conflict (cart_id, product_id) do update set
                   quantity = excluded.quantity, price_at_add_cents = excluded.price_at_add_cents,
                   price_seen_cents = excluded.price_seen_cents, updated_at = excluded.updated_at`;
      }
      const [row] = await tx<{ version: number }[]>`
        update carts set currency = ${after.currency}, version = version + 1, created_at = ${new Date(after.created_at)},
                         updated_at = ${new Date(after.updated_at)}, expires_at = ${new Date(after.expires_at)}
        where cart_id = ${before.cart_id} returning version::float8 as version`;
      return row!.version;
    },

    /** Records that a guest cart holds a copy of the user's cart `from` (restored from a reminder's link). */
    async markRestored(tx: Tx, cart_id: string, from: string): Promise<void> {
      await tx`update carts set restored_from = ${from} where cart_id = ${cart_id} and user_id is null`;
    },

    /** The user's cart a guest cart was restored from, if any. */
    async restoredFrom(tx: Tx, cart_id: string): Promise<string | null> {
      const [row] = await tx<{ restored_from: string | null }[]>`select restored_from from carts where cart_id = ${cart_id}`;
      return row?.restored_from ?? null;
    },

    /** Deletes a cart and its lines. */
    async remove(tx: Tx, cart_id: string): Promise<void> {
      await tx`delete from carts where cart_id = ${cart_id}`;
    },

    /**
     * What writes check of each product named: its line limit, the drop it is in, its units for sale. Products
     * that do not exist are absent from the map.
     */
    async rules(
      db: Sql | Tx,
      ids: readonly string[],
      defaultLimit: number,
    ): Promise<Map<string, ProductRule>> {
      if (ids.length === 0) return new Map();
      const rows = await db<
        { product_id: string; max_per_order: number | null; drop_id: string | null; stock: number }[]
      >`
        select p.product_id, p.max_per_order,
               (select d.drop_id from drops d where d.product_id = p.product_id and d.status in ('scheduled', 'open')
                order by d.starts_at limit 1) as drop_id,
               coalesce((select sum(i.available_count) from inventory i where i.product_id = p.product_id), 0)::float8 as stock
        from products p where p.product_id = any(${ids as string[]}::uuid[])`;
      return new Map(
        rows.map((r) => [
          r.product_id,
          { limit: lineLimit(r.max_per_order, defaultLimit), drop_id: r.drop_id, stock: r.stock },
        ]),
      );
    },
  };
}

export type CartRepo = ReturnType<typeof createCartRepo>;
