import { describe, expect, it } from 'vitest';
import { decision, type Decision } from './drops.ts';
import { parseMessageValue } from './messages.ts';

const parseDecision = (v: Buffer | null) => parseMessageValue(v, decision, 'a decision');

const d = (intent_id: string, seq: number, status: Decision['status'] = 'reserved'): Decision => ({
  type: 'decision',
  v: 1,
  drop_id: '0190a0a0-0000-7000-8000-000000000001',
  intent_id,
  user_id: '0190a0a0-0000-7000-8000-000000000002',
  quantity: 1,
  status,
  seq,
  offset: seq,
  at: 1,
});

describe('parseMessageValue', () => {
  it('accepts a valid decision and names what is wrong with anything else', () => {
    const ok = d('0190a0a0-0000-7000-8000-000000000003', 1);
    expect(parseDecision(Buffer.from(JSON.stringify(ok)))).toEqual({ ok: true, value: ok });
    expect(parseDecision(null)).toEqual({ ok: false, reason: 'empty message' });
    expect(parseDecision(Buffer.from('{'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) as unknown });
    const bad = parseDecision(Buffer.from(JSON.stringify({ ...ok, seq: 0 })));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/seq/);
  });
});
