import type { Sql } from '../platform/clients.ts';

interface Ask {
  userId: string;
  addressId: string;
  resolve: (owned: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Whether an address belongs to a user, asked of PostgreSQL in one query for all the questions of the same
 * turn of the event loop: a crowd joining a drop asks thousands a second, and a query each would cost the
 * database a core.
 */
export function createAddressCheck(sql: Sql): (userId: string, addressId: string) => Promise<boolean> {
  let asks: Ask[] = [];
  const flush = async () => {
    const batch = asks;
    asks = [];
    try {
      const ids = [...new Set(batch.map((a) => a.addressId))];
      const rows = await sql<{ address_id: string; user_id: string }[]>`
        select address_id, user_id from addresses where address_id = any(${ids}::uuid[])`;
      const owner = new Map(rows.map((r) => [r.address_id, r.user_id]));
      for (const a of batch) a.resolve(owner.get(a.addressId) === a.userId);
    } catch (err) {
      for (const a of batch) a.reject(err);
    }
  };
  return (userId, addressId) =>
    new Promise<boolean>((resolve, reject) => {
      if (asks.length === 0) setImmediate(() => void flush());
      asks.push({ userId, addressId: addressId.toLowerCase(), resolve, reject });
    });
}
