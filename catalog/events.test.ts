import { describe, expect, it } from 'vitest';
import { parseProductEvent, scopesOf } from './events.ts';

const msg = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const event = {
  type: 'product.updated', v: 1, id: '0f9c3c1e-5c1a-4f5e-9a43-2b1d1f3c4e5a',
  product_id: '01900000-0000-7000-8000-000000000001', at: 1_700_000_000_000,
};

describe('parseProductEvent', () => {
  it('reads what the outbox triggers write, extra fields allowed', () => {
    expect(parseProductEvent(msg({ ...event, extra: true }))).toEqual({
      ok: true, value: { product_id: event.product_id, type: 'product.updated' },
    });
  });

  it('explains why anything else is refused', () => {
    expect(parseProductEvent(null)).toEqual({ ok: false, reason: 'empty message' });
    expect(parseProductEvent(msg('{nope'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) as unknown });
    const wrong = parseProductEvent(msg({ ...event, type: 'product.renamed', v: 2 }));
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.reason).toMatch(/type.*; v/);
  });
});

describe('scopesOf', () => {
  const stock = { product_id: event.product_id, type: 'product.stock_changed' as const };

  it('leaves the category tree alone when only stock changed', () => {
    expect(scopesOf([stock], true)).toEqual(['search']);
    expect(scopesOf([stock, { ...stock, type: 'product.created' }], true)).toEqual(['search', 'tree']);
  });

  it('leaves search answers alone when the engine says none changed', () => {
    expect(scopesOf([stock], false)).toEqual([]);
    expect(scopesOf([], false)).toEqual([]);
  });
});
