import type { Redis } from 'ioredis';
import {
  decisionOf,
  dropKeys,
  finalStatuses,
  newId,
  type Decision,
  type IntentRecord,
  type IntentStatus,
  type JoinCommand,
} from '../contracts/index.ts';
import { AppError, type Sql } from '../platform/index.ts';
import { createAddressCheck } from './addresses.ts';
import { cancelPrequeued, prequeue } from './drop-intents.ts';
import type { CommandProducer } from './command-producer.ts';
import type { DropCache } from './drop-view.ts';
import { effectiveStatus, gateJoin, positionOf } from './rules.ts';
import type { JoinInput } from './schemas.ts';
import { enqueue } from './enqueue.ts';
import { admissionScripts } from './scripts.ts';
import { signTicket } from './tickets.ts';

export interface JoinAnswer {
  created: boolean;
  intent_id: string;
  status: 'queued' | 'prequeued';
  position: number | null;
  ticket: string;
}

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

export interface AdmissionOptions {
  ticketSecret: string;
  /** Join attempts allowed per user, and per client address, in each window of `windowMs`. */
  perUserLimit: number;
  perIpLimit: number;
  windowMs: number;
  ticketTtlMs: number;
}

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
  const { sql, redis, commands, cache, options } = deps;
  const now = deps.now ?? Date.now;
  const scripts = admissionScripts(redis);

  const ticketFor = (dropId: string, intentId: string, userId: string, offset: number) =>
    signTicket({ intent_id: intentId, drop_id: dropId, user_id: userId, offset, exp: now() + options.ticketTtlMs }, options.ticketSecret);

  const ownsAddress = createAddressCheck(sql);

  return {
    /**
     * Why a join to this drop is refused at once, when this process already knows the drop is over (sold out
     * or ended): the answer of a crowd arriving after the last unit, with no I/O and no body to read.
     * Undefined when the drop may still take joins (or is not known here yet).
     */
    closed(dropId: string): { reason: 'sold_out' | 'ended'; message: string } | undefined {
      const view = cache.peek(dropId);
      const status = view && effectiveStatus(view, now());
      if (status !== 'sold_out' && status !== 'ended') return undefined;
      return { reason: status, message: `the drop is ${status.replace('_', ' ')}` };
    },

    /**
     * Admits a join or answers why not (404, 409, 410, 429). The same user joining again gets the
     * same intent (`created: false`); a join Kafka never acknowledged is handed to it again.
     */
    async join(userId: string, dropId: string, input: JoinInput, clientIp: string): Promise<JoinAnswer> {
      const view = gateJoin(await cache.get(dropId), input.quantity, now());
      const k = dropKeys(dropId);
      const fresh = newId();
      const reply = await scripts.admit(
        [k.state, k.users, k.intents, k.admitted, k.rateLimit(`u:${userId}`), k.rateLimit(`ip:${clientIp}`)],
        [userId, fresh, input.quantity, options.perUserLimit, options.perIpLimit, options.windowMs],
      );
      // A new place that cannot be kept (someone else's address, Kafka not answering) is given back.
      const giveBack = () => scripts.unclaim([k.users, k.admitted], [userId, fresh, input.quantity]).catch(() => undefined);
      // The address is checked once the join has a place: a refused join costs no database read.
      const addressId = input.shipping_address_id;
      if (reply.kind === 'new' && addressId !== undefined) {
        const owns = await ownsAddress(userId, addressId).catch(async (err: unknown) => {
          await giveBack();
          throw err;
        });
        if (!owns) {
          await giveBack();
          throw new AppError('invalid', 'shipping_address_id is not one of your addresses');
        }
      }
      switch (reply.kind) {
        case 'unknown':
          throw new AppError('not_found', 'no such drop');
        case 'rate_limited':
          throw new AppError('rate_limited', 'too many join attempts; wait and try again', {
            details: { retry_after: Math.max(1, Math.ceil(reply.retryAfterMs / 1000)) },
          });
        case 'gone': {
          const reason = reply.reason;
          const text = reason === 'queue_full' ? 'the line already holds enough shoppers for every unit' : `the drop is ${reason.replace('_', ' ')}`;
          throw new AppError('gone', text, { details: { reason } });
        }
        case 'existing':
        case 'new': {
          const created = reply.kind === 'new';
          const intentId = created ? fresh : reply.intentId;
          const status = reply.status;
          const known = created ? undefined : reply.record;
          const join: JoinCommand = {
            type: 'join',
            v: 1,
            drop_id: dropId,
            intent_id: intentId,
            user_id: userId,
            quantity: known?.quantity ?? input.quantity,
            payment_method_id: known ? known.payment_method_id : input.payment_method_id,
            shipping_address_id: known ? known.shipping_address_id : input.shipping_address_id,
            at: now(),
          };
          if (known) {
            const decided = Number(await redis.hget(k.state, 'decided_offset'));
            const position = positionOf(known.offset, decided);
            return { created, intent_id: intentId, status: 'queued', position, ticket: ticketFor(dropId, intentId, userId, known.offset) };
          }
          if (status === 'scheduled') {
            await prequeue(sql, join);
            return { created, intent_id: intentId, status: 'prequeued', position: null, ticket: ticketFor(dropId, intentId, userId, -1) };
          }
          try {
            const { offset, position } = await enqueue(redis, commands, join, view.partition);
            return { created, intent_id: intentId, status: 'queued', position, ticket: ticketFor(dropId, intentId, userId, offset) };
          } catch (err) {
            if (created) await giveBack();
            throw new AppError('unavailable', 'the line is not taking joins right now; try again', { cause: err });
          }
        }
      }
    },

    /** The intent as its owner sees it; 404 for anyone else. */
    async get(userId: string, dropId: string, intentId: string): Promise<IntentView> {
      const k = dropKeys(dropId);
      const [decisionJson, recordJson, decidedOffset] = await Promise.all([
        redis.hget(k.decisions, intentId),
        redis.hget(k.intents, intentId),
        redis.hget(k.state, 'decided_offset'),
      ]);
      const d: Decision | undefined = decisionJson ? decisionOf(decisionJson) : undefined;
      const record = recordJson ? (JSON.parse(recordJson) as IntentRecord) : undefined;
      if (d) {
        if (d.user_id !== userId) throw new AppError('not_found', 'no such intent');
        return {
          intent_id: intentId,
          drop_id: dropId,
          user_id: d.user_id,
          status: d.status,
          offset: d.offset,
          ...(d.hold_expires_at !== undefined && d.status === 'reserved' ? { hold_expires_at: new Date(d.hold_expires_at).toISOString() } : {}),
          ...(d.order_id !== undefined ? { order_id: d.order_id } : {}),
        };
      }
      if (record) {
        if (record.user_id !== userId) throw new AppError('not_found', 'no such intent');
        return {
          intent_id: intentId,
          drop_id: dropId,
          user_id: userId,
          status: 'queued',
          offset: record.offset,
          position: positionOf(record.offset, Number(decidedOffset ?? -1)),
        };
      }
      const [row] = await sql<{ user_id: string; status: IntentStatus }[]>`
        select user_id, status from drop_intents where intent_id = ${intentId} and drop_id = ${dropId}`;
      if (!row || row.user_id !== userId) throw new AppError('not_found', 'no such intent');
      return { intent_id: intentId, drop_id: dropId, user_id: userId, status: row.status, offset: null };
    },

    /**
     * Leaves the line or gives up a hold. A pre-queued intent is cancelled at once; any other goes
     * through the drop's log, so the single writer puts a held unit back. 409 once final.
     */
    async leave(userId: string, dropId: string, intentId: string): Promise<IntentView> {
      const intent = await this.get(userId, dropId, intentId);
      if (finalStatuses.has(intent.status)) {
        throw new AppError('conflict', `the intent is already ${intent.status.replace('_', ' ')}`);
      }
      if (intent.status === 'prequeued') {
        if (await cancelPrequeued(sql, intentId)) return { ...intent, status: 'cancelled' };
      }
      const view = await cache.get(dropId);
      if (!view) throw new AppError('not_found', 'no such drop');
      await commands.send(view.partition, { type: 'release', v: 1, drop_id: dropId, intent_id: intentId, reason: 'cancelled', at: now() });
      return intent;
    },
  };
}

export type Intents = ReturnType<typeof createIntents>;
