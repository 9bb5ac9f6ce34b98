import { describe, expect, it } from 'vitest';
import { newId, type DropCommand } from '../contracts/index.ts';
import { chunk, groupByDrop, parseMessage, splitBySize, statusCounts } from './messages.ts';

const dropA = newId();
const dropB = newId();
const join = (drop_id: string): DropCommand => ({
  type: 'join',
  v: 1,
  drop_id,
  at: 1,
  intent_id: newId(),
  user_id: newId(),
  quantity: 1,
});

describe('parseMessage', () => {
  it('returns the command with its offset as a number', () => {
    const c = join(dropA);
    expect(parseMessage({ offset: '42', value: Buffer.from(JSON.stringify(c)) })).toEqual({
      ok: true,
      message: { offset: 42, command: c },
    });
  });

  it('names what is wrong with a message that is empty, not JSON, or not a command', () => {
    expect(parseMessage({ offset: '1', value: null })).toEqual({ ok: false, reason: 'empty message' });
    expect(parseMessage({ offset: '1', value: '{nope' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not JSON/) as unknown,
    });
    const bad = { ...join(dropA), quantity: 0, user_id: 'x' };
    const r = parseMessage({ offset: '1', value: JSON.stringify(bad) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/quantity.*user_id|user_id.*quantity/);
    expect(parseMessage({ offset: '1', value: '{"type":"explode"}' }).ok).toBe(false);
  });
});

describe('chunk', () => {
  it('slices in order with at most max per slice', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 2)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

describe('groupByDrop', () => {
  it('groups by drop keeping log order inside each drop', () => {
    const cs = [join(dropA), join(dropB), join(dropA), join(dropB), join(dropA)].map((command, offset) => ({
      offset,
      command,
    }));
    const g = groupByDrop(cs);
    expect([...g.keys()]).toEqual([dropA, dropB]);
    expect(g.get(dropA)!.map((c) => c.offset)).toEqual([0, 2, 4]);
    expect(g.get(dropB)!.map((c) => c.offset)).toEqual([1, 3]);
  });
});

describe('splitBySize', () => {
  it('keeps each slice within the byte budget, in order, an oversized item alone', () => {
    const items = ['aaaa', 'bb', 'cc', 'dddddddd', 'e'].map((value) => ({ value }));
    expect(splitBySize(items, 6).map((s) => s.map((i) => i.value))).toEqual([
      ['aaaa', 'bb'],
      ['cc'],
      ['dddddddd'],
      ['e'],
    ]);
    expect(splitBySize([], 6)).toEqual([]);
  });

  it('counts bytes, not characters', () => {
    expect(splitBySize([{ value: 'éé' }, { value: 'é' }], 4)).toHaveLength(2);
  });
});

describe('statusCounts', () => {
  it('counts the decisions of each status without parsing them', () => {
    const d = (status: string) => JSON.stringify({ type: 'decision', intent_id: 'x', status, seq: 1, offset: 3 });
    const counts = statusCounts([d('reserved'), d('sold_out'), d('reserved'), '{"type":"decision"}']);
    expect(Object.fromEntries(counts)).toEqual({ reserved: 2, sold_out: 1, unknown: 1 });
  });
});
