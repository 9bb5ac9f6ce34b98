import { describe, expect, it } from 'vitest';
import { toReplay, type StoredDeadLetter } from './dead-letters.ts';

const letter = (offset: number, consumer: string, o: { value?: string | null; replayed?: boolean } = {}): StoredDeadLetter => ({
  partition: 0,
  offset,
  key: null,
  letter: {
    ok: true,
    value: { source: { topic: 'order.events', partition: 3, offset: 7, consumer }, reason: 'r', value: o.value === undefined ? '{}' : o.value, at: 1 },
  },
  replayed_at: o.replayed ? new Date() : null,
});

describe('dead letters to replay', () => {
  it('takes readable letters with a value not replayed before, of the consumer named', () => {
    const all = [
      letter(0, 'notifications'),
      letter(1, 'analytics'),
      letter(2, 'notifications', { replayed: true }),
      letter(3, 'notifications', { value: null }),
      { ...letter(4, 'notifications'), letter: { ok: false as const, reason: 'not JSON' } },
    ];
    expect(toReplay(all).map((l) => l.offset)).toEqual([0, 1]);
    expect(toReplay(all, 'notifications').map((l) => l.offset)).toEqual([0]);
    expect(toReplay(all, 'fulfillment')).toEqual([]);
  });
});
