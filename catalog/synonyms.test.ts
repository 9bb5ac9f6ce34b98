import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNONYMS_FILE, parseSynonyms } from './synonyms.ts';

describe('parseSynonyms', () => {
  it('makes every phrase of an equivalence line find the others, itself first', () => {
    const s = parseSynonyms('laptop, notebook\n# comment\n\ncell phone, Smartphone # trailing comment\n');
    expect(s.map.get('laptop')).toEqual([['laptop'], ['notebook']]);
    expect(s.map.get('notebook')).toEqual([['notebook'], ['laptop']]);
    expect(s.map.get('cell phone')).toEqual([['cell', 'phone'], ['smartphone']]);
    expect(s.longest).toBe(2);
  });

  it('applies one-way rules only from left to right', () => {
    const s = parseSynonyms('tv => television');
    expect(s.map.get('tv')).toEqual([['tv'], ['television']]);
    expect(s.map.has('television')).toBe(false);
  });

  it('merges the rules a phrase appears in', () => {
    const s = parseSynonyms('mug, cup\ncup, beaker');
    expect(s.map.get('cup')).toEqual([['cup'], ['mug'], ['beaker']]);
  });

  it('names the line of a malformed rule', () => {
    expect(() => parseSynonyms('ok, fine\na => b => c')).toThrow(/line 2/);
    expect(() => parseSynonyms('laptop, , notebook')).toThrow(/line 1/);
    expect(() => parseSynonyms('=> television')).toThrow(/line 1/);
  });

  it('reads the shipped file', async () => {
    const s = parseSynonyms(await readFile(DEFAULT_SYNONYMS_FILE, 'utf8'));
    expect(s.map.get('tv')).toContainEqual(['television']);
    expect(s.map.get('notebook')).toContainEqual(['laptop']);
  });
});
