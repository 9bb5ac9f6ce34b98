import { z } from 'zod';

/** Where a page of a shopper's order history ends: the last order's creation time (UTC, microseconds) and id. */
export interface HistoryCursor {
  at: string;
  id: string;
}

const shape = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), z.uuid()]);

/** The cursor as an opaque string for the client. */
export const encodeCursor = (c: HistoryCursor): string => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');

/** The cursor a client sent back; null when it is not one this API made. */
export function decodeCursor(s: string): HistoryCursor | null {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(s, 'base64url').toString());
  } catch {
    return null;
  }
  const parsed = shape.safeParse(json);
  return parsed.success ? { at: parsed.data[0], id: parsed.data[1].toLowerCase() } : null;
}
