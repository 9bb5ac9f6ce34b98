import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { DropEvent, ServerMessage } from '../contracts/index.ts';
import { Room } from './room.ts';

const DROP = '01a21a00-0000-7000-8000-000000000000';
const ME = '01a21a00-0000-7000-8000-000000000001';

describe('Room', () => {
  let sent: ServerMessage[];
  let room: Room;
  const ws = {} as WebSocket;
  const event = (e: Partial<DropEvent>): DropEvent => ({
    drop_id: DROP,
    status: 'open',
    remaining: 10,
    decided_offset: 0,
    decisions: [],
    ...e,
  });

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    room = new Room((_, m) => sent.push(typeof m === 'string' ? (JSON.parse(m) as ServerMessage) : m), Date.now);
    room.add(ME, ws);
    room.seed('open', 10, 0, 1);
    room.welcome(ws, ME, undefined, 100);
    sent = [];
  });

  afterEach(() => {
    room.stop();
    vi.useRealTimers();
  });

  it('tells the remaining stock at the next push, once, with the position', () => {
    room.apply(event({ remaining: 9, decided_offset: 10 }));
    room.apply(event({ remaining: 8, decided_offset: 20 }));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([
      { type: 'drop', status: 'open', remaining: 8 },
      { type: 'position', intent_id: ME, position: 80, eta_seconds: null },
    ]);
  });

  it('welcomes from what it has seen only the intents that joined after its read of Redis, on the same epoch', () => {
    const OTHER = '01a21a00-0000-7000-8000-000000000002';
    room.apply(event({ decided_offset: 150, decisions: [{ intent_id: OTHER, status: 'reserved', seq: 1 }] }));
    expect(room.knows(120, 1)).toBe(true);
    expect(room.knows(0, 1)).toBe(false); // joined before the read: its decision may predate the subscription
    expect(room.knows(120, 2)).toBe(false); // the subscription reconnected since
    expect(room.knows(120, undefined)).toBe(false);
    const other = {} as WebSocket;
    room.add(OTHER, other);
    room.welcome(other, OTHER, undefined, 120);
    expect(sent).toEqual([
      { type: 'drop', status: 'open', remaining: 10 },
      { type: 'status', intent_id: OTHER, status: 'reserved' },
    ]);
    room.seed('open', 10, 150, 2);
    expect(room.knows(120, 2)).toBe(false);
    expect(room.knows(151, 2)).toBe(true);
  });

  it('tells a new status at once, and its decision before it', () => {
    room.apply(event({ status: 'sold_out', remaining: 0, decided_offset: 100, decisions: [{ intent_id: ME, status: 'sold_out', seq: 1 }] }));
    expect(sent).toEqual([
      { type: 'status', intent_id: ME, status: 'sold_out' },
      { type: 'drop', status: 'sold_out', remaining: 0 },
    ]);
    vi.advanceTimersByTime(2_000);
    expect(sent).toHaveLength(2);
  });
});
