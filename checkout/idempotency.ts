import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type Sql } from '../platform/index.ts';

/** PostgreSQL's json type: an answer is sent as its JSON text and kept as it is (sql.json would send jsonb). */
const JSON_OID = 114;

/** The state of an Idempotency-Key when a request arrives with it. */
export type Claim =
  /** This request owns the key; `token` proves it when completing or abandoning. */
  | { kind: 'claimed'; token: string }
  /** The first request under this key finished: answer what it answered. */
  | { kind: 'replay'; body: unknown }
  /** The key was first used with another body. */
  | { kind: 'mismatch' }
  /** Another request under this key is running. */
  | { kind: 'in_progress' };

/**
 * Idempotency-Keys in the `idempotency_keys` table, per user. A key is claimed by exactly one request at a time
 * (primary key); a claim left by a process that died is taken over after `staleMs`. Only a completed request's
 * answer is kept; an abandoned claim frees the key, so a retry runs again (every step behind it is idempotent).
 */
export function createIdempotencyKeys(sql: Sql, staleMs: number) {
  return {
    async claim(userId: string, key: string, hash: string): Promise<Claim> {
      const [mine] = await sql<{ token: string }[]>`
        insert into idempotency_keys (user_id, key, request_hash, created_at)
        values (${userId}, ${key}, ${hash}, clock_timestamp())
        on conflict do nothing returning created_at::text as token`;
      if (mine) return { kind: 'claimed', token: mine.token };
      const [row] = await sql<
        {
          request_hash: string;
          response_status: number | null;
          response_body: unknown;
          token: string;
          stale: boolean;
        }[]
      >`
        select request_hash, response_status, response_body, created_at::text as token,
               created_at < clock_timestamp() - ${staleMs} * interval '1 millisecond' as stale
        from idempotency_keys where user_id = ${userId} and key = ${key}`;
      if (!row) return { kind: 'in_progress' }; // abandoned just now: the caller claims again
      if (row.request_hash !== hash) return { kind: 'mismatch' };
      if (row.response_status !== null) return { kind: 'replay', body: row.response_body };
      if (!row.stale) return { kind: 'in_progress' };
      const [taken] = await sql<{ token: string }[]>`
        update idempotency_keys set created_at = clock_timestamp()
        where user_id = ${userId} and key = ${key} and created_at = ${row.token}::text::timestamptz and response_status is null
        returning created_at::text as token`;
      return taken ? { kind: 'claimed', token: taken.token } : { kind: 'in_progress' };
    },

    /** Stores the answer of the request holding the claim. */
    async complete(
      userId: string,
      key: string,
      token: string,
      status: number,
      body: Record<string, unknown>,
    ): Promise<void> {
      await sql`update idempotency_keys set response_status = ${status}, response_body = ${sql.typed(body as never, JSON_OID)}
                where user_id = ${userId} and key = ${key} and created_at = ${token}::text::timestamptz and response_status is null`;
    },

    /** Frees the key after a failed request, so that a retry runs again. */
    async abandon(userId: string, key: string, token: string): Promise<void> {
      await sql`delete from idempotency_keys
                where user_id = ${userId} and key = ${key} and created_at = ${token}::text::timestamptz and response_status is null`;
    },
  };
}

export type IdempotencyKeys = ReturnType<typeof createIdempotencyKeys>;

/** A request made with an Idempotency-Key. */
export interface KeyedRequest {
  user_id: string;
  key: string;
  /** What identifies the request's operation and body (see keys.ts operationHash). */
  hash: string;
  /** The status its answer is stored with. */
  status: number;
  /** How long to wait for another request running under the same key. */
  waitMs: number;
}

const POLL_MS = 25;

/**
 * Runs `perform` for the first request under (user, key) and stores its answer: a later request with the same key
 * and hash gets that answer again, member for member in the same order, one with another hash is unprocessable; while another request under the key
 * runs, waits up to `waitMs` for its answer, then answers conflict (retriable). A failed `perform` frees the key, so
 * a retry runs again (what `perform` does must itself be safe to run again).
 */
export async function runOnce<T extends object>(
  keys: IdempotencyKeys,
  r: KeyedRequest,
  perform: () => Promise<T>,
): Promise<T> {
  const until = Date.now() + r.waitMs;
  let token: string | undefined;
  while (token === undefined) {
    const c = await keys.claim(r.user_id, r.key, r.hash);
    if (c.kind === 'claimed') token = c.token;
    else if (c.kind === 'replay') return c.body as T; // as first given: the column is json, which keeps its text
    else if (c.kind === 'mismatch') {
      throw new AppError('unprocessable', 'This Idempotency-Key was used with a different request body.');
    } else if (Date.now() >= until) {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still running; retry shortly.', { retriable: true });
    } else await sleep(POLL_MS);
  }
  try {
    const result = await perform();
    await keys.complete(r.user_id, r.key, token, r.status, { ...result } as Record<string, unknown>);
    return result;
  } catch (err) {
    await keys.abandon(r.user_id, r.key, token).catch(() => undefined);
    throw err;
  }
}
