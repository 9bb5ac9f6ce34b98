import type { Redis } from 'ioredis';
import { dropChannel, dropEvent, type DropEvent } from '../contracts/index.ts';
import type { Logger } from '../platform/logger.ts';

export type DropListener = (event: DropEvent) => void;

export interface DropEvents {
  /** Calls the listener with every event of the drop until the returned function is called. */
  watch(dropId: string, listener: DropListener): () => void;
  close(): Promise<void>;
}

/**
 * One Redis subscription per process for the events the sequencer publishes; a drop's channel is
 * subscribed while at least one listener watches it. Events that fail validation are logged and dropped.
 */
export function createDropEvents(subscriber: Redis, logger: Logger): DropEvents {
  const listeners = new Map<string, Set<DropListener>>();
  subscriber.on('message', (channel: string, message: string) => {
    const id = /^drop:\{(.+)\}:events$/.exec(channel)?.[1];
    const set = id === undefined ? undefined : listeners.get(id);
    if (!set) return;
    let event: DropEvent;
    try {
      event = dropEvent.parse(JSON.parse(message));
    } catch (err) {
      logger.warn({ err, channel }, 'malformed drop event');
      return;
    }
    for (const l of set) l(event);
  });
  return {
    watch(dropId, listener) {
      let set = listeners.get(dropId);
      if (!set) {
        set = new Set();
        listeners.set(dropId, set);
        subscriber.subscribe(dropChannel(dropId)).catch((err: unknown) => logger.error({ err, dropId }, 'subscribe failed'));
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size > 0 || listeners.get(dropId) !== set) return;
        listeners.delete(dropId);
        subscriber.unsubscribe(dropChannel(dropId)).catch(() => undefined);
      };
    },
    async close() {
      listeners.clear();
      await subscriber.quit();
    },
  };
}
