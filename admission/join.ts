import type { Redis } from 'ioredis';
import {
  decisionOf,
  dropKeys,
  newId,
  type DropStatus,
  type IntentStatus,
  type JoinClaim,
  type JoinCommand,
} from '../contracts/index.ts';
import { AppError, type Sql } from '../platform/index.ts';
import { createAddressCheck } from './addresses.ts';
import type { CommandProducer } from './command-producer.ts';
import { intentRow, prequeue } from './drop-intents.ts';
import type { DropMembers } from './drop-members.ts';
import type { DropCache, DropView } from './drop-view.ts';
import { enqueue } from './enqueue.ts';
import { gateJoin, isFinalStatus, overStatus, positionOf } from './rules.ts';
import type { JoinInput } from './schemas.ts';
import { admissionScripts, type Admission } from './scripts.ts';
import { signTicket, ticketExpiry } from './tickets.ts';

export interface JoinAnswer {
  /** A new intent (202), or the user's intent of the drop again (200). */
  created: boolean;
  intent_id: string;
  status: IntentStatus;
  /** Undecided intents ahead; null while the intent is not in line yet (pre-queued, or being handed on). */
  position: number | null;
  ticket: string;
}

export interface JoinLimits {
  ticketSecret: string;
  /** Join attempts allowed per user, and per client address, in each window of `windowMs`. */
  perUserLimit: number;
  perIpLimit: number;
  windowMs: number;
}

type Existing = Extract<Admission, { kind: 'existing' }>;

/** A user's place in a drop, and whether this request made it. */
interface Place {
  view: DropView;
  userId: string;
  intentId: string;
  created: boolean;
}

const claimOf = (input: JoinInput): JoinClaim => ({
  quantity: input.quantity,
  payment_method_id: input.payment_method_id,
  shipping_address_id: input.shipping_address_id,
});

/**
 * Joining a drop. A new join is acknowledged only after Kafka has it (or, before the drop opens, PostgreSQL has it
 * in the pre-queue). Every join's fields are checked, a rejoin's too (a foreign address is 400), but a rejoin
 * changes nothing: it is answered with the intent as first made.
 */
export function createJoin(deps: {
  sql: Sql;
  redis: Redis;
  commands: CommandProducer;
  cache: DropCache;
  members: DropMembers;
  limits: JoinLimits;
  now: () => number;
}) {
  const { sql, redis, commands, cache, members, limits, now } = deps;
  const scripts = admissionScripts(redis);
  const ownsAddress = createAddressCheck(sql);

  const owns = (userId: string, addressId: string | undefined): Promise<boolean> =>
    addressId === undefined ? Promise.resolve(true) : ownsAddress(userId, addressId);
  const mustOwn = async (userId: string, addressId: string | undefined): Promise<void> => {
    if (await owns(userId, addressId)) return;
    throw new AppError('invalid', 'shipping_address_id is not one of your addresses', {
      details: { errors: [{ field: 'shipping_address_id', message: 'is not one of your addresses' }] },
    });
  };

  /** Gives a place back (not once Kafka has its join); never fails the request for it. */
  const giveBack = (p: Place, quantity: number) =>
    scripts.unclaim(p.view.drop_id, p.userId, p.intentId, quantity).catch(() => 0);

  const joinCommand = (p: Place, c: JoinClaim): JoinCommand => ({
    type: 'join',
    v: 1,
    drop_id: p.view.drop_id,
    intent_id: p.intentId,
    user_id: p.userId,
    quantity: c.quantity,
    ...(c.payment_method_id !== undefined ? { payment_method_id: c.payment_method_id } : {}),
    ...(c.shipping_address_id !== undefined ? { shipping_address_id: c.shipping_address_id } : {}),
    at: now(),
  });

  /** The answer for the place's intent, at its offset in the drop's partition (null: not in line yet). */
  function answer(p: Place, status: IntentStatus, at: { offset: number; position: number } | null): JoinAnswer {
    const { view, userId, intentId } = p;
    const exp = ticketExpiry(view, now());
    const ticket = { intent_id: intentId, drop_id: view.drop_id, user_id: userId, offset: at?.offset ?? -1, exp };
    return {
      created: p.created,
      intent_id: intentId,
      status,
      position: at?.position ?? null,
      ticket: signTicket(ticket, limits.ticketSecret),
    };
  }
  const inLine = (offset: number, decided: number) => ({ offset, position: positionOf(offset, decided) });

  /** Hands the place's join to the pre-queue (drop scheduled) or to Kafka, and answers it. */
  async function hand(p: Place, claim: JoinClaim, status: DropStatus): Promise<JoinAnswer> {
    const join = joinCommand(p, claim);
    if (status === 'scheduled') {
      await prequeue(sql, join);
      return answer(p, 'prequeued', null);
    }
    return answer(p, 'queued', await enqueue(redis, commands, join, p.view.partition));
  }

  /** A new place: the address is checked once the join has it, so a refused join costs no database read. */
  async function admitted(p: Place, input: JoinInput, status: DropStatus): Promise<JoinAnswer> {
    try {
      await mustOwn(p.userId, input.shipping_address_id);
    } catch (err) {
      await giveBack(p, input.quantity);
      throw err;
    }
    if (status === 'scheduled') return hand(p, claimOf(input), status); // kept by the claim: a retry hands it again
    try {
      return await hand(p, claimOf(input), status);
    } catch (err) {
      await giveBack(p, input.quantity);
      throw new AppError('unavailable', 'the line is not taking joins right now; try again', { cause: err });
    }
  }

  /**
   * The user's intent again, as it is. A place not in line yet is handed on as it was admitted (its first
   * request may have died before Kafka had it); a place that cannot be kept (left in the pre-queue, or naming
   * an address that is not the user's) is given back and the join starts over, once.
   */
  async function rejoin(
    p: Place,
    input: JoinInput,
    found: Existing,
    startOver: () => Promise<JoinAnswer>,
  ): Promise<JoinAnswer> {
    const k = dropKeys(p.view.drop_id);
    const [decisionJson, decided] = await Promise.all([
      redis.hget(k.decisions, p.intentId),
      redis.hget(k.state, 'decided_offset'),
      mustOwn(p.userId, input.shipping_address_id),
    ]);
    const decidedOffset = Number(decided ?? -1);
    if (decisionJson) {
      const d = decisionOf(decisionJson);
      return answer(p, d.status, inLine(d.offset, decidedOffset));
    }
    if (found.record) return answer(p, 'queued', inLine(found.record.offset, decidedOffset));
    const row = await intentRow(sql, p.view.drop_id, p.intentId);
    if (row?.left_prequeue) {
      await giveBack(p, row.quantity);
      return startOver();
    }
    if (row) return answer(p, row.status, row.kafka_offset === null ? null : inLine(row.kafka_offset, decidedOffset));
    const claim = found.claim ?? claimOf(input);
    if (!(await owns(p.userId, claim.shipping_address_id))) {
      await giveBack(p, claim.quantity);
      return startOver();
    }
    try {
      return await hand(p, claim, found.status);
    } catch (err) {
      throw new AppError('unavailable', 'the line is not taking joins right now; try again', { cause: err });
    }
  }

  /**
   * Admits a join or answers why not (404, 409, 410, 429, and 400 for an address that is not the user's). The same
   * user joining again gets the same intent (`created: false`), whenever and on whichever edge, even once the drop
   * is over; a join Kafka never acknowledged is handed to it again.
   */
  async function join(
    userId: string,
    dropId: string,
    input: JoinInput,
    clientIp: string,
    again = false,
  ): Promise<JoinAnswer> {
    const cached = await cache.get(dropId);
    const over = cached !== null && overStatus(cached, now()) !== undefined;
    const holdsPlace = over && (await members.of(dropId, isFinalStatus(cached.status))).has(userId);
    const view = gateJoin(cached, input.quantity, now(), holdsPlace);
    const k = dropKeys(dropId);
    const fresh = newId();
    const claim = JSON.stringify(claimOf(input));
    const reply = await scripts.admit(
      [k.state, k.users, k.intents, k.admitted, k.claims, k.rateLimit(`u:${userId}`), k.rateLimit(`ip:${clientIp}`)],
      [userId, fresh, input.quantity, limits.perUserLimit, limits.perIpLimit, limits.windowMs, now(), claim],
    );
    const place = (intentId: string, created: boolean): Place => ({ view, userId, intentId, created });
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
      case 'new':
        return admitted(place(fresh, true), input, reply.status);
      case 'existing':
        return rejoin(place(reply.intentId, false), input, reply, () => {
          if (again) throw new AppError('conflict', 'another join of yours to this drop is under way; try again');
          return join(userId, dropId, input, clientIp, true);
        });
    }
  }

  return join;
}
