import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time: a fill per id cost the edge more than the rest of the id.
const pool = Buffer.alloc(4096);
let used = pool.length;

/**
 * A new UUIDv7: 48 bits of Unix milliseconds, then random bits, so ids sort by creation time
 * and index well in PostgreSQL. Opaque to clients.
 */
export function newId(now: number = Date.now()): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const b = Buffer.from(pool.subarray(used, (used += 16)));
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for the textual form of a UUID (any version). */
export const isId = (s: string): boolean => UUID.test(s);
