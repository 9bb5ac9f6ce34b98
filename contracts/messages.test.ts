import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseMessageValue } from './messages.ts';

const thing = z.object({ n: z.number().int().min(1) });
const parse = (v: string | null) => parseMessageValue(v === null ? null : Buffer.from(v), thing, 'a thing');

describe('parseMessageValue', () => {
  it('accepts a valid message and names what is wrong with anything else', () => {
    expect(parse('{"n":3}')).toEqual({ ok: true, value: { n: 3 } });
    expect(parse(null)).toEqual({ ok: false, reason: 'empty message' });
    expect(parse('{')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) as unknown });
    expect(parse('{"n":0}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not a thing: n: /) as unknown });
  });
});
