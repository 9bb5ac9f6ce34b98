import { describe, expect, it } from 'vitest';
import { freshSockets, SOCKETS_FRESH_MS } from './figures.ts';

describe('freshSockets', () => {
  it('sums the counts of waiting rooms that told recently', () => {
    const now = 1_000_000;
    expect(freshSockets({ a: `12:${now - 1_000}`, b: `30:${now}` }, now)).toBe(42);
  });

  it('leaves out a waiting room that stopped telling, and entries that are not counts', () => {
    const now = 1_000_000;
    expect(freshSockets({ a: `12:${now - SOCKETS_FRESH_MS - 1}`, b: `5:${now}`, c: 'junk', d: '' }, now)).toBe(5);
  });
});
