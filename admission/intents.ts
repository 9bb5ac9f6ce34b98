import type { Redis } from 'ioredis';
import {
  decisionOf,
  dropKeys,
  finalStatuses,
  type Decision,
  type IntentRecord,
  type IntentStatus,
} from '../contracts/index.ts';
import { AppError, type Sql } from '../platform/index.ts';
import type { CommandProducer } from './command-producer.ts';
import * as dropIntents from './drop-intents.ts';
import { createDropMembers } from './drop-members.ts';
import type { DropCache } from './drop-view.ts';
import { createJoin, type JoinLimits } from './join.ts';
import { goneMessage, isFinalStatus, overStatus, positionOf } from './rules.ts';
import { admissionScripts } from './scripts.ts';

export interface IntentView {
  intent_id: string;
  drop_id: string;
  user_id: string;
  status: IntentStatus;
  offset: number | null;
  position?: number;
  hold_expires_at?: string;
  order_id?: string;
}

export type AdmissionOptions = JoinLimits;

/** After a leave is sent to the line, how long later ones send nothing (while the intent is not cancelled yet). */
const LEAVE_RESEND_MS = 15_000;

/** An intent wherever it is found: its decision, else its record (in line), else its row. */
type Found = Omit<IntentView, 'intent_id' | 'drop_id'> & {
  /** Its row: cancelled from the pre-queue, with this quantity (its user's place given up). */
  leftPrequeue?: number;
};

/**
 * Joining a drop, looking at an intent, leaving the line. An intent is acknowledged only after
 * Kafka has its join (or, before the drop opens, PostgreSQL has it in the pre-queue).
 */
export function createIntents(deps: {
  sql: Sql;
  redis: Redis;
  commands: CommandProducer;
  cache: DropCache;
  options: AdmissionOptions;
  now?: () => number;
}) {
  const { sql, redis, commands, cache } = deps;
  const now = deps.now ?? Date.now;
  const scripts = admissionScripts(redis);
  const members = createDropMembers(redis);
  const join = createJoin({ sql, redis, commands, cache, members, limits: deps.options, now });

  /** Why a join is refused at once, from memory: the drop is over (sold out or ended) as this process knows it. */
  function closed(dropId: string): { reason: 'sold_out' | 'ended'; message: string } | undefined {
    const view = cache.peek(dropId);
    const reason = view && overStatus(view, now());
    return reason && { reason, message: goneMessage[reason] };
  }

  async function find(dropId: string, intentId: string): Promise<Found | undefined> {
    const k = dropKeys(dropId);
    const [decisionJson, recordJson, decidedOffset] = await Promise.all([
      redis.hget(k.decisions, intentId),
      redis.hget(k.intents, intentId),
      redis.hget(k.state, 'decided_offset'),
    ]);
    if (decisionJson) {
      const d: Decision = decisionOf(decisionJson);
      const held = d.hold_expires_at !== undefined && d.status === 'reserved';
      return {
        user_id: d.user_id,
        status: d.status,
        offset: d.offset,
        ...(held ? { hold_expires_at: new Date(d.hold_expires_at!).toISOString() } : {}),
        ...(d.order_id !== undefined ? { order_id: d.order_id } : {}),
      };
    }
    if (recordJson) {
      const { user_id, offset } = JSON.parse(recordJson) as IntentRecord;
      return { user_id, status: 'queued', offset, position: positionOf(offset, Number(decidedOffset ?? -1)) };
    }
    const row = await dropIntents.intentRow(sql, dropId, intentId);
    if (!row) return undefined;
    const left = row.left_prequeue ? { leftPrequeue: row.quantity } : {};
    return { user_id: row.user_id, status: row.status, offset: null, ...left };
  }

  /** The intent as its owner sees it; 404 for anyone else. */
  async function get(userId: string, dropId: string, intentId: string): Promise<IntentView> {
    const found = await find(dropId, intentId);
    if (!found || found.user_id !== userId) throw new AppError('not_found', 'no such intent');
    const { status, offset, position, hold_expires_at, order_id } = found;
    return {
      intent_id: intentId,
      drop_id: dropId,
      user_id: userId,
      status,
      offset,
      ...(position !== undefined ? { position } : {}),
      ...(hold_expires_at !== undefined ? { hold_expires_at } : {}),
      ...(order_id !== undefined ? { order_id } : {}),
    };
  }

  return {
    closed,

    /**
     * Why this user's join to this drop is refused at once, with no I/O and no body to read: the drop is over as
     * this process knows it and the user holds no place in it (once the drop's users are known here). Undefined
     * when the drop may still take joins, or the user may have an intent to be answered with.
     */
    refusal(dropId: string, userId: string): { reason: 'sold_out' | 'ended'; message: string } | undefined {
      const over = closed(dropId);
      const view = over && cache.peek(dropId);
      const users = view && members.peek(dropId, isFinalStatus(view.status));
      return users && !users.has(userId) ? over : undefined;
    },

    join,
    get,

    /**
     * Leaves the line or gives up a hold. A pre-queued intent is cancelled at once and its user's place given up
     * (the user may join again, as a new intent); any other goes through the drop's log, so the single writer puts
     * a held unit back: the first leave is sent, a repeat answers the same and sends nothing (unless the intent is
     * still not cancelled after 15 s). A cancelled intent answers again; 409 once otherwise final.
     */
    async leave(userId: string, dropId: string, intentId: string): Promise<IntentView> {
      const found = await find(dropId, intentId);
      if (!found || found.user_id !== userId) throw new AppError('not_found', 'no such intent');
      const { status, offset } = found;
      const intent: IntentView = { intent_id: intentId, drop_id: dropId, user_id: userId, status, offset };
      const giveUpPlace = (quantity: number) => scripts.unclaim(dropId, userId, intentId, quantity);
      if (found.status === 'cancelled') {
        if (found.leftPrequeue !== undefined) await giveUpPlace(found.leftPrequeue); // again, after a crash midway
        return intent;
      }
      if (finalStatuses.has(found.status)) {
        throw new AppError('conflict', `the intent is already ${found.status.replace('_', ' ')}`);
      }
      const cancelled = found.status === 'prequeued' ? await dropIntents.cancelPrequeued(sql, intentId) : undefined;
      if (cancelled !== undefined) {
        await giveUpPlace(cancelled);
        return { ...intent, status: 'cancelled' };
      }
      const view = await cache.get(dropId);
      if (!view) throw new AppError('not_found', 'no such drop');
      const k = dropKeys(dropId);
      if ((await redis.set(k.leaving(intentId), String(now()), 'PX', LEAVE_RESEND_MS, 'NX')) !== 'OK') return intent;
      try {
        await commands.send(view.partition, {
          type: 'release',
          v: 1,
          drop_id: dropId,
          intent_id: intentId,
          reason: 'cancelled',
          at: now(),
        });
      } catch (err) {
        await redis.del(k.leaving(intentId)).catch(() => undefined);
        throw err;
      }
      return intent;
    },
  };
}

export type Intents = ReturnType<typeof createIntents>;
