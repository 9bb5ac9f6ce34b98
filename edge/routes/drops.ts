import { Hono } from 'hono';
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

/** Shopper drop routes; the caller mounts them behind authentication. Joins count against `clientKey`'s address. */
export const dropRoutes = (drops: Drops, intents: Intents, room: WaitingRoomAddress, clientKey: ClientKey) =>
  new Hono<EdgeEnv>()
    .get('/drops', async (c) => c.json({ drops: await drops.list() }))
    .get('/drops/:drop_id', async (c) => c.json(await drops.get(idParam(c, 'drop_id', 'drop'))))
    .post('/drops/:drop_id/intents', async (c) => {
      const dropId = idParam(c, 'drop_id', 'drop');
      const userId = c.get('user').user_id;
      // After the last unit the crowd of strangers is told at once: no body to read, no error to build.
      const refused = intents.refusal(dropId, userId);
      if (refused) return problem(c, 'gone', refused.message, { reason: refused.reason });
      const body = await jsonBody(c, joinBody);
      const a = await intents.join(userId, dropId, body, clientKey(c));
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
