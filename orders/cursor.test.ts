import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';

describe('history cursor', () => {
  const c = { at: '2026-03-01T10:20:30.123456Z', id: '0190a0a0-0000-7000-8000-000000000001' };

  it('reads back what it wrote, as an opaque string', () => {
    expect(encodeCursor(c)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it('refuses anything it did not write', () => {
    for (const bad of ['', 'not-base64!', Buffer.from('{"at":1}').toString('base64url'), encodeCursor({ ...c, at: 'yesterday' })]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});
