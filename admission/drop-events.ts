import type { Redis } from 'ioredis';
import { dropChannel, dropEvent, intentStatuses, type DropEvent } from '../contracts/index.ts';
import type { Logger } from '../platform/index.ts';

export type DropListener = (event: DropEvent) => void;

export interface DropEvents {
  /**
   * Calls the listener with every event of the drop until the returned function is called, and `resubscribed`
   * each time the subscription is back after its connection dropped (events published meanwhile are lost).
   */
  watch(dropId: string, listener: DropListener, resubscribed?: () => void): () => void;
  /**
   * Resolves once the drop's channel is subscribed (at once when nobody watches it): state read after that
   * misses no event, as every later one reaches the listeners.
   */
  subscribed(dropId: string): Promise<void>;
  /**
   * The subscription's connection: a new number for each (re)connection, undefined while disconnected. State
   * read after `subscribed` misses no event as long as the epoch stays the same.
   */
  epoch(): number | undefined;
  close(): Promise<void>;
}

const envelope = dropEvent.omit({ decisions: true });
const statuses = new Set<string>(intentStatuses);

/**
 * A DropEvent from its JSON, or null when it does not match the contract. The envelope is checked by the
 * schema; the decisions, thousands per event after a sell-out, by their shape alone (ids are not matched
 * against the UUID pattern): the schema's full check of each cost the edge more than the event was worth.
 */
function parseDropEvent(text: string): DropEvent | null {
  const raw = JSON.parse(text) as { decisions?: unknown } | null;
  const head = envelope.safeParse(raw);
  if (!head.success || !Array.isArray(raw?.decisions)) return null;
  for (const d of raw.decisions as Record<string, unknown>[]) {
    if (
      typeof d !== 'object' ||
      d === null ||
      typeof d.intent_id !== 'string' ||
      typeof d.seq !== 'number' ||
      typeof d.status !== 'string' ||
      !statuses.has(d.status) ||
      (d.order_id !== undefined && typeof d.order_id !== 'string') ||
      (d.hold_expires_at !== undefined && typeof d.hold_expires_at !== 'number')
    ) {
      return null;
    }
  }
  return { ...head.data, decisions: raw.decisions as DropEvent['decisions'] };
}

/**
 * One Redis subscription per process for the events the sequencer publishes; a drop's channel is
 * subscribed while at least one listener watches it. Events that fail validation are logged and dropped.
 * Events published while the connection is down are lost: after a reconnection every watched channel is
 * subscribed again (and `subscribed` waits for it) on a new epoch.
 */
export function createDropEvents(subscriber: Redis, logger: Logger): DropEvents {
  const listeners = new Map<string, Set<{ listener: DropListener; resubscribed?: (() => void) | undefined }>>();
  const subscriptions = new Map<string, Promise<void>>();
  const subscribe = (dropId: string) =>
    subscriber.subscribe(dropChannel(dropId)).then(
      () => undefined,
      (err: unknown) => logger.error({ err, dropId }, 'subscribe failed'),
    );
  let epoch = 0;
  subscriber.on('ready', () => {
    epoch++;
    const again = epoch > 1;
    for (const [dropId, set] of listeners) {
      const subscribed = subscribe(dropId);
      subscriptions.set(dropId, subscribed);
      if (again) void subscribed.then(() => set.forEach((w) => w.resubscribed?.()));
    }
  });
  subscriber.on('message', (channel: string, message: string) => {
    const id = /^drop:\{(.+)\}:events$/.exec(channel)?.[1];
    const set = id === undefined ? undefined : listeners.get(id);
    if (!set) return;
    let event: DropEvent | null;
    try {
      event = parseDropEvent(message);
    } catch (err) {
      event = null;
      logger.warn({ err, channel }, 'drop event is not JSON');
    }
    if (event === null) {
      logger.warn({ channel }, 'malformed drop event');
      return;
    }
    for (const w of set) w.listener(event);
  });
  return {
    watch(dropId, listener, resubscribed) {
      let set = listeners.get(dropId);
      if (!set) {
        set = new Set();
        listeners.set(dropId, set);
        subscriptions.set(dropId, subscribe(dropId));
      }
      const watcher = { listener, resubscribed };
      set.add(watcher);
      return () => {
        set.delete(watcher);
        if (set.size > 0 || listeners.get(dropId) !== set) return;
        listeners.delete(dropId);
        subscriptions.delete(dropId);
        subscriber.unsubscribe(dropChannel(dropId)).catch(() => undefined);
      };
    },
    subscribed: (dropId) => subscriptions.get(dropId) ?? Promise.resolve(),
    epoch: () => (subscriber.status === 'ready' ? epoch : undefined),
    async close() {
      listeners.clear();
      subscriptions.clear();
      await subscriber.quit();
    },
  };
}
