import type { Redis } from 'ioredis';
import { dropKeys, dropStatuses, type DropStatus } from '../contracts/index.ts';
import type { DropEvents } from './drop-events.ts';

/** A drop's live state as the sequencer and admission keep it in Redis. */
export interface DropView {
  drop_id: string;
  status: DropStatus;
  quantity: number;
  stock: number;
  held: number;
  purchased: number;
  decided_offset: number;
  last_offset: number;
  per_user_limit: number;
  queue_limit: number;
  hold_seconds: number;
  starts_at: number;
  ends_at: number | null;
  partition: number;
}

/** Parses the `state` hash; null when the drop has no state. */
export function parseDropState(dropId: string, h: Record<string, string>): DropView | null {
  if (h.status === undefined || !(dropStatuses as readonly string[]).includes(h.status)) return null;
  const n = (f: string, fallback = 0) => (h[f] === undefined || h[f] === '' ? fallback : Number(h[f]));
  return {
    drop_id: dropId,
    status: h.status as DropStatus,
    quantity: n('quantity'),
    stock: n('stock'),
    held: n('held'),
    purchased: n('purchased'),
    decided_offset: n('decided_offset', -1),
    last_offset: n('last_offset', -1),
    per_user_limit: n('per_user_limit', 1),
    queue_limit: n('queue_limit'),
    hold_seconds: n('hold_seconds'),
    starts_at: n('starts_at'),
    ends_at: h.ends_at === undefined || h.ends_at === '' ? null : Number(h.ends_at),
    partition: n('partition'),
  };
}

export const readDropView = async (redis: Redis, dropId: string) =>
  parseDropState(dropId, await redis.hgetall(dropKeys(dropId).state));

export interface DropCache {
  /** The drop's view, from memory when fresh; null for a drop Redis does not know. */
  get(dropId: string): Promise<DropView | null>;
  /** The view held in memory however old (events keep it current), without I/O; undefined when none. */
  peek(dropId: string): DropView | undefined;
  close(): void;
}

interface Entry {
  view: DropView;
  at: number;
  unwatch: () => void;
  refreshing: boolean;
}

/**
 * A per-process cache of drop views, kept current by the sequencer's events and re-read from Redis at most
 * every `ttlMs` in the background (one read at a time, the held view served meanwhile), so a join costs no
 * round trip for the drop's state and a sold-out drop is answered from memory.
 */
export function createDropCache(redis: Redis, events: DropEvents, ttlMs = 1_000, now = Date.now): DropCache {
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<DropView | null>>();

  const refresh = (dropId: string, entry: Entry) => {
    entry.refreshing = true;
    readDropView(redis, dropId)
      .then((view) => {
        if (view && entries.get(dropId) === entry) {
          entry.view = view;
          entry.at = now();
        }
      })
      .catch(() => undefined) // the held view stays; the next request tries again
      .finally(() => (entry.refreshing = false));
  };

  const load = async (dropId: string): Promise<DropView | null> => {
    const view = await readDropView(redis, dropId);
    if (view === null) return null; // unknown ids are not kept: a flood of them cannot grow the cache
    const held = entries.get(dropId);
    if (held) return held.view;
    const unwatch = events.watch(dropId, (e) => {
      const entry = entries.get(dropId);
      if (entry) entry.view = { ...entry.view, status: e.status, stock: e.remaining, decided_offset: e.decided_offset };
    });
    entries.set(dropId, { view, at: now(), unwatch, refreshing: false });
    return view;
  };

  return {
    async get(dropId) {
      const hit = entries.get(dropId);
      if (hit) {
        if (now() - hit.at >= ttlMs && !hit.refreshing) refresh(dropId, hit);
        return hit.view;
      }
      let p = loading.get(dropId);
      if (!p) {
        p = load(dropId).finally(() => loading.delete(dropId));
        loading.set(dropId, p);
      }
      return p;
    },
    peek: (dropId) => entries.get(dropId)?.view,
    close() {
      for (const e of entries.values()) e.unwatch();
      entries.clear();
    },
  };
}
