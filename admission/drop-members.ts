import type { Redis } from 'ioredis';
import { dropKeys } from '../contracts/index.ts';

interface Entry {
  /** Read once the drop's stored status was final: no place can have been given since. */
  final: boolean;
  users?: ReadonlySet<string>;
  loading?: Promise<ReadonlySet<string>>;
}

export interface DropMembers {
  /** The users holding a place in the drop, as last read here; undefined when not read (or not read since final). */
  peek(dropId: string, final: boolean): ReadonlySet<string> | undefined;
  /**
   * The users holding a place in the drop: one read of its `users` hash for every caller at once, read again
   * once when the drop's status turns final in Redis after a read made before (a place may have been given
   * meanwhile by an edge whose clock was behind).
   */
  of(dropId: string, final: boolean): Promise<ReadonlySet<string>>;
}

/**
 * Who holds a place in drops that are over, kept in memory for the `max` drops asked about last: a drop that is
 * over gives no new place, so a crowd arriving after it is told apart (strangers from shoppers with an intent)
 * without a read each.
 */
export function createDropMembers(redis: Redis, max = 16): DropMembers {
  const entries = new Map<string, Entry>();

  const touch = (dropId: string, entry: Entry) => {
    entries.delete(dropId);
    entries.set(dropId, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= max) break;
      entries.delete(oldest);
    }
  };
  const usable = (entry: Entry | undefined, final: boolean) => entry !== undefined && (entry.final || !final);

  return {
    peek(dropId, final) {
      const entry = entries.get(dropId);
      return usable(entry, final) ? entry!.users : undefined;
    },
    of(dropId, final) {
      const held = entries.get(dropId);
      if (usable(held, final)) {
        touch(dropId, held!);
        if (held!.users) return Promise.resolve(held!.users);
        if (held!.loading) return held!.loading;
      }
      const entry: Entry = { final };
      entry.loading = redis.hkeys(dropKeys(dropId).users).then(
        (users) => {
          entry.users = new Set(users);
          delete entry.loading;
          return entry.users;
        },
        (err: unknown) => {
          if (entries.get(dropId) === entry) entries.delete(dropId); // the next caller reads again
          throw err;
        },
      );
      touch(dropId, entry);
      return entry.loading;
    },
  };
}
