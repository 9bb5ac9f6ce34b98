import type { WebSocket } from 'ws';
import { positionOf } from '../admission/index.ts';
import {
  finalStatuses,
  type DecisionUpdate,
  type DropEvent,
  type DropStatus,
  type ServerMessage,
} from '../contracts/index.ts';

/** How often a moving line pushes positions, and the longest silence while waiting. */
const PUSH_MS = 500;
const HEARTBEAT_MS = 2_000;
/** Most decisions a room remembers; past it the room forgets them all and asks Redis again. */
const MAX_DECISIONS = 200_000;

type Send = (ws: WebSocket, m: ServerMessage | string) => void;

const statusMessage = (d: DecisionUpdate): ServerMessage => ({
  type: 'status',
  intent_id: d.intent_id,
  status: d.status,
  ...(d.order_id !== undefined ? { order_id: d.order_id } : {}),
  ...(d.hold_expires_at !== undefined && d.status === 'reserved'
    ? { hold_expires_at: new Date(d.hold_expires_at).toISOString() }
    : {}),
});

/**
 * The sockets of one drop on this edge. One sequencer event serves them all: decisions go to the
 * sockets of their intents, a change of the drop's status to everyone at once; its remaining stock to
 * everyone and positions (offset − decided offset, so they only go down) to those still waiting go at
 * most every PUSH_MS, and positions at least every HEARTBEAT_MS. (A crowd's events change the stock many
 * times a second, and each change told at once was a write to every socket.)
 *
 * The room remembers every decision of its events. Once it has read the drop's decided offset from Redis while
 * subscribed (on the subscription's epoch: a new connection is a new epoch), an intent whose join is later than
 * that offset had no decision then, so each of its decisions is among those remembered: its socket is welcomed
 * without a read.
 */
export class Room {
  onEmpty: () => void = () => {};
  private readonly sockets = new Map<string, Set<WebSocket>>();
  /** Intents with a socket and no decision yet, with their join offset when known. */
  private readonly waiting = new Map<string, number | undefined>();
  /** The latest decision of each intent seen. */
  private readonly decisions = new Map<string, DecisionUpdate>();
  /** Decided offset read from Redis on a subscription's epoch; later joins' decisions are all remembered. */
  private complete: { since: number; epoch: number } | undefined;
  private status: DropStatus | undefined;
  private remaining = 0;
  /** The remaining stock changed since it was last told. */
  private remainingUntold = false;
  private decided = -1;
  private pushedDecided = -1;
  private pushedAt = 0;
  private rate = 0;
  private rateAt: { at: number; decided: number } | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly send: Send;
  private readonly now: () => number;

  constructor(send: Send, now: () => number) {
    this.send = send;
    this.now = now;
    this.timer = setInterval(() => this.pushPositions(), PUSH_MS);
    this.timer.unref();
  }

  add(intentId: string, ws: WebSocket) {
    const set = this.sockets.get(intentId) ?? new Set();
    set.add(ws);
    this.sockets.set(intentId, set);
  }

  /** How many sockets the intent has here. */
  socketsOf(intentId: string): number {
    return this.sockets.get(intentId)?.size ?? 0;
  }

  remove(intentId: string, ws: WebSocket) {
    const set = this.sockets.get(intentId);
    set?.delete(ws);
    if (set?.size === 0) {
      this.sockets.delete(intentId);
      this.waiting.delete(intentId);
    }
    if (this.sockets.size === 0) this.onEmpty();
  }

  /**
   * State read from Redis for a new socket, after the drop's events were subscribed on `epoch` (undefined when
   * the subscription may have missed events meanwhile); never moves the room backwards.
   */
  seed(status: DropStatus, remaining: number, decided: number, epoch: number | undefined) {
    if (decided >= this.decided) {
      this.status = status;
      this.remaining = remaining;
      this.decided = decided;
    }
    if (epoch !== undefined && this.complete?.epoch !== epoch) this.complete = { since: decided, epoch };
  }

  /** Whether a socket of the intent joined at `offset` can be welcomed from what the room has seen. */
  knows(offset: number, epoch: number | undefined): boolean {
    return epoch !== undefined && this.complete?.epoch === epoch && offset > this.complete.since;
  }

  /** First messages of a (re)connected socket: the drop, then the intent's status or position. */
  welcome(ws: WebSocket, intentId: string, fromRedis: DecisionUpdate | undefined, offset: number | undefined) {
    if (this.status !== undefined) this.send(ws, { type: 'drop', status: this.status, remaining: this.remaining });
    const seen = this.decisions.get(intentId);
    const d = seen && (!fromRedis || seen.seq > fromRedis.seq) ? seen : fromRedis;
    if (d) {
      this.remember(d);
      this.send(ws, statusMessage(d));
      return;
    }
    this.waiting.set(intentId, offset);
    if (offset !== undefined) this.send(ws, this.position(intentId, offset));
  }

  apply(e: DropEvent) {
    const t = this.now();
    if (e.decided_offset > this.decided) {
      if (this.rateAt && t > this.rateAt.at) {
        const sample = ((e.decided_offset - this.rateAt.decided) * 1000) / (t - this.rateAt.at);
        this.rate = this.rate === 0 ? sample : 0.7 * this.rate + 0.3 * sample;
      }
      this.rateAt = { at: t, decided: e.decided_offset };
      this.decided = e.decided_offset;
    }
    for (const d of e.decisions) {
      const prev = this.decisions.get(d.intent_id);
      if (prev && prev.seq >= d.seq) continue;
      this.remember(d);
      const set = this.sockets.get(d.intent_id);
      if (!set) continue;
      this.waiting.delete(d.intent_id);
      for (const ws of set) this.send(ws, statusMessage(d));
    }
    if (e.remaining !== this.remaining) {
      this.remaining = e.remaining;
      this.remainingUntold = true;
    }
    if (e.status !== this.status) {
      this.status = e.status;
      this.tellDrop();
    }
  }

  /** Open sockets here. */
  socketCount(): number {
    let n = 0;
    for (const set of this.sockets.values()) n += set.size;
    return n;
  }

  /** Intents with a socket here. */
  intents(): string[] {
    return [...this.sockets.keys()];
  }

  /** Intents whose join offset is not known yet (pre-queued when they connected). */
  unplaced(): string[] {
    return [...this.waiting].filter(([, o]) => o === undefined).map(([id]) => id);
  }

  place(intentId: string, offset: number) {
    if (this.waiting.has(intentId)) this.waiting.set(intentId, offset);
  }

  stop() {
    clearInterval(this.timer);
  }

  private remember(d: DecisionUpdate) {
    if (this.decisions.size >= MAX_DECISIONS && !this.decisions.has(d.intent_id)) {
      this.decisions.clear();
      this.complete = undefined;
    }
    this.decisions.set(d.intent_id, d);
  }

  private position(intentId: string, offset: number): ServerMessage {
    const position = positionOf(offset, this.decided);
    return {
      type: 'position',
      intent_id: intentId,
      position,
      eta_seconds: this.rate > 0 ? Math.ceil(position / this.rate) : null,
    };
  }

  private tellDrop() {
    if (this.status === undefined) return;
    this.remainingUntold = false;
    const m = JSON.stringify({ type: 'drop', status: this.status, remaining: this.remaining } satisfies ServerMessage);
    for (const set of this.sockets.values()) for (const ws of set) this.send(ws, m);
  }

  private pushPositions() {
    if (this.remainingUntold) this.tellDrop();
    const t = this.now();
    if (this.decided === this.pushedDecided && t - this.pushedAt < HEARTBEAT_MS) return;
    this.pushedDecided = this.decided;
    this.pushedAt = t;
    for (const [intentId, offset] of this.waiting) {
      if (offset === undefined || finalStatuses.has(this.decisions.get(intentId)?.status ?? 'queued')) continue;
      const m = this.position(intentId, offset);
      for (const ws of this.sockets.get(intentId) ?? []) this.send(ws, m);
    }
  }
}
