import { describe, expect, it } from 'vitest';
import { countMessage, replyTo } from './room-sockets.ts';

describe('countMessage', () => {
  it('allows up to the limit in one second and refuses the next', () => {
    let w = { start: 1_000, count: 0 };
    const within: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const r = countMessage(w, 1_000 + i * 100, 3);
      w = r.window;
      within.push(r.within);
    }
    expect(within).toEqual([true, true, true, false]);
  });

  it('starts a new window a second after the last one began, and when the clock goes back', () => {
    const full = { start: 1_000, count: 3 };
    expect(countMessage(full, 1_999, 3)).toEqual({ window: { start: 1_000, count: 4 }, within: false });
    expect(countMessage(full, 2_000, 3)).toEqual({ window: { start: 2_000, count: 1 }, within: true });
    expect(countMessage(full, 500, 3)).toEqual({ window: { start: 500, count: 1 }, within: true });
  });
});

describe('replyTo', () => {
  it('answers a ping with a pong, and anything else with an error message', () => {
    expect(replyTo(Buffer.from('{"type":"ping"}'))).toEqual({ type: 'pong' });
    for (const bad of ['', 'not json', '{', 'null', '[]', '"ping"', '{"type":"PING"}', '{"type":5}', '\u0000']) {
      expect(replyTo(Buffer.from(bad)).type, bad).toBe('error');
    }
    expect(replyTo(Buffer.from([0xff, 0xfe, 0x00]))).toEqual({ type: 'error', message: 'messages must be JSON' });
  });
});
