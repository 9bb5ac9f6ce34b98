import type { Redis } from 'ioredis';
import { dropKeys, type DropStatus } from '../contracts/index.ts';
import { parseDropState } from './drop-view.ts';

/** A waiting room's count of sockets older than this is from an instance that stopped telling: not counted. */
export const SOCKETS_FRESH_MS = 10_000;

/** A drop's live figures, the same for every process that reads them: they are read from the drop's Redis keys. */
export interface DropFigures {
  drop_id: string;
  status: DropStatus;
  quantity: number;
  /** Units neither held nor sold. */
  remaining: number;
  held: number;
  purchased: number;
  /** Decisions made so far (the drop's decision sequence number): its rate is decisions per second. */
  decisions: number;
  /** Shoppers with an intent in the drop. */
  intents: number;
  /** Joins the sequencer has yet to decide, and intents waiting for a released unit. */
  queue_depth: number;
  /** Open waiting-room sockets, over every waiting room that told within SOCKETS_FRESH_MS. */
  sockets: number;
}

/** The sockets of fresh `<count>:<epoch ms>` entries, summed. */
export function freshSockets(entries: Record<string, string>, now: number): number {
  let sum = 0;
  for (const value of Object.values(entries)) {
    const [count, at] = value.split(':').map(Number);
    if (Number.isFinite(count) && Number.isFinite(at) && now - at! <= SOCKETS_FRESH_MS) sum += count!;
  }
  return sum;
}

/** A drop's figures, in one round trip; null for a drop Redis does not know. */
export async function readDropFigures(redis: Redis, dropId: string, now = Date.now()): Promise<DropFigures | null> {
  const k = dropKeys(dropId);
  const replies = await redis
    .multi()
    .hgetall(k.state)
    .hlen(k.users)
    .llen(k.waitlist)
    .hgetall(k.sockets)
    .exec();
  const [state, users, waitlist, sockets] = (replies ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  }) as [Record<string, string>, number, number, Record<string, string>];
  const view = parseDropState(dropId, state);
  if (view === null) return null;
  return {
    drop_id: dropId,
    status: view.status,
    quantity: view.quantity,
    remaining: view.stock,
    held: view.held,
    purchased: view.purchased,
    decisions: Number(state.seq ?? 0),
    intents: users,
    queue_depth: Math.max(0, view.last_offset - view.decided_offset) + waitlist,
    sockets: freshSockets(sockets, now),
  };
}

/** Tells a waiting room's open sockets of a drop (0 removes its entry). */
export async function tellSockets(redis: Redis, dropId: string, instance: string, count: number, now = Date.now()): Promise<void> {
  const k = dropKeys(dropId).sockets;
  if (count === 0) {
    await redis.hdel(k, instance);
    return;
  }
  await redis.multi().hset(k, instance, `${count}:${now}`).pexpire(k, SOCKETS_FRESH_MS * 3).exec();
}
