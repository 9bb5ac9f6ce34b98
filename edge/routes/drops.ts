import { Hono } from 'hono';
import { isAppError } from '../../platform/index.ts';
import { createDropBody, joinBody, type Drops, type Intents } from '../../admission/index.ts';
import type { ClientKey } from '../client-address.ts';
import type { EdgeEnv } from '../env.ts';
import { problem } from '../problem.ts';
import { idParam, jsonBody } from '../validate.ts';

/** Admin drop routes; the caller mounts them behind the admin role. */
export const adminDropRoutes = (drops: Drops) =>
  new Hono<EdgeEnv>()
    .post('/drops', async (c) => c.json(await drops.create(await jsonBody(c, createDropBody), c.get('user').user_id), 201))
    .post('/drops/:drop_id/close', async (c) => c.json(await drops.close(idParam(c, 'drop_id', 'drop'))));

/** Where shoppers reach the waiting room: its own port (see startWaitingRoom), or a public URL in front of it. */
export interface WaitingRoomAddress {
  port: number;
  publicUrl?: string | undefined;
}

/** The waiting room's base URL for a request: the public URL when set, else the request's host on the room's port. */
export const waitingRoomBase = (requestUrl: string, room: WaitingRoomAddress): string => {
  if (room.publicUrl !== undefined) return room.publicUrl;
  const url = new URL(requestUrl);
  return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.hostname}:${room.port}`;
};

/**
 * The result a refused join is counted under: the reason of a 410 (sold_out, ended, queue_full), else its kind
 * (rate_limited, conflict for the per-user limit, invalid, unavailable, ...).
 */
export function refusedJoin(err: unknown): string {
  if (!isAppError(err)) return 'error';
  const reason = err.details.reason;
  return err.kind === 'gone' && typeof reason === 'string' ? reason : err.kind;
}

/** Counts a join's answer under its drop and result, with its duration. */
export type RecordJoin = (dropId: string, result: string, seconds: number) => void;

/**
 * Shopper drop routes; the caller mounts them behind authentication. Every join the route answers is recorded,
 * under its drop, or `unknown` when the drop may not exist (not found, a bad body), so made-up ids add no series.
 */
export const dropRoutes = ({
  drops,
  intents,
  room,
  clientKey,
  recordJoin,
}: {
  drops: Drops;
  intents: Intents;
  room: WaitingRoomAddress;
  /** The client address joins count against. */
  clientKey: ClientKey;
  recordJoin: RecordJoin;
}) =>
  new Hono<EdgeEnv>()
    .get('/drops', async (c) => c.json({ drops: await drops.list() }))
    .get('/drops/:drop_id', async (c) => c.json(await drops.get(idParam(c, 'drop_id', 'drop'))))
    .post('/drops/:drop_id/intents', async (c) => {
      const dropId = idParam(c, 'drop_id', 'drop');
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      const userId = c.get('user').user_id;
      // After the last unit the crowd of strangers is told at once: no body to read, no error to build.
      const refused = intents.refusal(dropId, userId);
      if (refused) {
        recordJoin(dropId, refused.reason, seconds());
        return problem(c, 'gone', refused.message, { reason: refused.reason });
      }
      let a: Awaited<ReturnType<Intents['join']>>;
      try {
        a = await intents.join(userId, dropId, await jsonBody(c, joinBody), clientKey(c));
      } catch (err) {
        // Only a known drop gets series of its own: a body refused before the drop was looked at says nothing of it.
        const result = refusedJoin(err);
        recordJoin(['not_found', 'invalid', 'error'].includes(result) ? 'unknown' : dropId, result, seconds());
        throw err;
      }
      recordJoin(dropId, a.created ? a.status : 'again', seconds());
      return c.json(
        {
          intent_id: a.intent_id,
          status: a.status,
          position: a.position,
          ticket: a.ticket,
          ws_url: `${waitingRoomBase(c.req.url, room)}/ws/drops/${dropId}?ticket=${a.ticket}`,
        },
        a.created ? 202 : 200,
      );
    })
    .get('/drops/:drop_id/intents/:intent_id', async (c) => {
      const v = await intents.get(c.get('user').user_id, idParam(c, 'drop_id', 'drop'), idParam(c, 'intent_id', 'intent'));
      return c.json({
        intent_id: v.intent_id,
        status: v.status,
        ...(v.position !== undefined ? { position: v.position } : {}),
        ...(v.hold_expires_at !== undefined ? { hold_expires_at: v.hold_expires_at } : {}),
        ...(v.order_id !== undefined ? { order_id: v.order_id } : {}),
      });
    })
    .delete('/drops/:drop_id/intents/:intent_id', async (c) => {
      const v = await intents.leave(c.get('user').user_id, idParam(c, 'drop_id', 'drop'), idParam(c, 'intent_id', 'intent'));
      return c.json({ intent_id: v.intent_id, status: v.status === 'cancelled' ? 'cancelled' : 'cancelling' }, 202);
    });
