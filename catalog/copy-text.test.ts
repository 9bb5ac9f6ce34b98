import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from './copy-text.ts';

describe('COPY text encoding', () => {
  it('escapes backslashes, tabs and line breaks, and writes null as \\N', () => {
    expect(copyField('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(true)).toBe('true');
    expect(copyField(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
  });

  it('quotes array elements and escapes quotes and backslashes inside them, then for COPY', () => {
    expect(copyField(['Home & Kitchen', 'Say "hi"', 'a\\b'])).toBe('{"Home & Kitchen","Say \\\\"hi\\\\"","a\\\\\\\\b"}');
  });

  it('writes JSON with its backslashes escaped for COPY', () => {
    expect(copyField({ json: { q: 'a"b', n: 1 } })).toBe('{"q":"a\\\\"b","n":1}');
  });

  it('joins fields by tabs and ends the line', () => {
    expect(copyLine(['a', 1, null])).toBe('a\t1\t\\N\n');
  });
});
