import type { Redis } from 'ioredis';
import { dropKeys, type DropStatus } from '../contracts/index.ts';

/** The fields of a drop that Redis needs to admit and decide; times are epoch ms. */
export interface DropConfig {
  drop_id: string;
  quantity: number;
  hold_seconds: number;
  per_user_limit: number;
  queue_limit: number;
  starts_at: number;
  ends_at: number | null;
  partition: number;
  status: DropStatus;
  /**
   * The last offset of the drop's partition before the drop's first command (-1 for an empty
   * partition), so positions count only this drop's intents when a partition is reused.
   */
  decided_offset?: number;
}

/**
 * Loads a new drop's state into Redis: its rules, and all of its quantity as stock. Idempotent: a
 * drop already loaded keeps its state, so stock is never reset under a running sequencer.
 */
export async function initDropState(redis: Redis, d: DropConfig): Promise<void> {
  const k = dropKeys(d.drop_id);
  const fields: Record<string, string | number> = {
    status: d.status,
    quantity: d.quantity,
    stock: d.quantity,
    held: 0,
    purchased: 0,
    decided_offset: d.decided_offset ?? -1,
    seq: 0,
    hold_seconds: d.hold_seconds,
    per_user_limit: d.per_user_limit,
    queue_limit: d.queue_limit,
    starts_at: d.starts_at,
    ends_at: d.ends_at ?? '',
    partition: d.partition,
  };
  // HSETNX per field inside MULTI: all-or-nothing, and never overwrites a field that exists.
  const tx = redis.multi();
  for (const [f, v] of Object.entries(fields)) tx.hsetnx(k.state, f, v);
  await tx.exec();
}
