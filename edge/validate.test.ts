import { describe, expect, it } from 'vitest';
import { unstorable, unstorableFields } from './validate.ts';

describe('unstorable', () => {
  it('refuses NUL characters and lone surrogates, and nothing else', () => {
    expect(unstorable('a\u0000b')).toBe('must not contain NUL characters');
    expect(unstorable('\ud800')).toMatch(/lone surrogate/);
    expect(unstorable('a\udc00')).toMatch(/lone surrogate/);
    expect(unstorable('\udc00\ud800')).toMatch(/lone surrogate/);
    for (const fine of ['', 'plain', 'emoji \ud83d\ude00', 'tab\tnew\nline', '\u0001\u007f', 'Zoë 東京']) {
      expect(unstorable(fine), fine).toBeUndefined();
    }
  });
});

describe('unstorableFields', () => {
  it('names each bad string by its path, member names included', () => {
    const body = {
      name: 'ok',
      line1: 'x\u0000',
      category_path: ['fine', 'b\ud800ad'],
      attributes: { colour: 'red', 'si\u0000ze': 'M', nested: { deep: ['\u0000'] } },
    };
    expect(unstorableFields(body)).toEqual([
      { field: 'line1', message: 'must not contain NUL characters' },
      { field: 'category_path.1', message: 'must be well-formed Unicode (it holds a lone surrogate)' },
      { field: 'attributes', message: 'member names must not contain NUL characters' },
      { field: 'attributes.nested.deep.0', message: 'must not contain NUL characters' },
    ]);
    expect(unstorableFields('\u0000')).toEqual([{ field: '(body)', message: 'must not contain NUL characters' }]);
    expect(unstorableFields({ a: 1, b: [true, null, 'fine'] })).toEqual([]);
  });

  it('walks a body nested tens of thousands deep, and lists at most 20 fields', () => {
    const depth = 40_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`) as unknown;
    const [only] = unstorableFields(deep);
    expect(only!.field.split('.')).toHaveLength(depth);
    expect(unstorableFields(Array.from({ length: 5_000 }, () => '\u0000'))).toHaveLength(20);
  });
});
