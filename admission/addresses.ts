import { batched, type Sql } from '../platform/index.ts';

/**
 * Whether an address belongs to a user, asked of PostgreSQL in one query for all the questions of the same
 * turn of the event loop: a crowd joining a drop asks thousands a second.
 */
export function createAddressCheck(sql: Sql): (userId: string, addressId: string) => Promise<boolean> {
  const owns = batched(async (asks: { userId: string; addressId: string }[]) => {
    const ids = [...new Set(asks.map((a) => a.addressId))];
    const rows = await sql<{ address_id: string; user_id: string }[]>`
      select address_id, user_id from addresses where address_id = any(${ids}::uuid[])`;
    const owner = new Map(rows.map((r) => [r.address_id, r.user_id]));
    return asks.map((a) => owner.get(a.addressId) === a.userId);
  });
  return (userId, addressId) => owns({ userId, addressId: addressId.toLowerCase() });
}
