import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tokenize } from './text.ts';

/** The operator-editable synonyms file shipped with the catalog. */
export const DEFAULT_SYNONYMS_FILE = fileURLToPath(new URL('./synonyms.txt', import.meta.url));

export interface Synonyms {
  /** A phrase (its words joined by one space) → every phrase a search for it also looks for, itself first. */
  readonly map: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Words in the longest phrase on the left of a rule. */
  readonly longest: number;
}

/**
 * Reads synonym rules, one per line: `laptop, notebook` makes each phrase find the others; `tv => television`
 * makes the left side also find the right side, not the reverse. `#` starts a comment. Phrases are compared as
 * `tokenize` reads queries. Throws naming the line of the first malformed rule.
 */
export function parseSynonyms(text: string): Synonyms {
  const map = new Map<string, string[][]>();
  const add = (from: string[], to: string[][]) => {
    const key = from.join(' ');
    const list = map.get(key) ?? [from];
    for (const phrase of to) if (!list.some((p) => p.join(' ') === phrase.join(' '))) list.push(phrase);
    map.set(key, list);
  };
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const sides = line.split('=>');
    const phrases = sides.map((side) => side.split(',').map(tokenize));
    if (sides.length > 2 || phrases.some((side) => side.length === 0 || side.some((p) => p.length === 0))) {
      throw new Error(`synonyms line ${i + 1}: expected "a, b, c" or "a, b => c", got "${raw.trim()}"`);
    }
    const [left, right] = phrases as [string[][], string[][] | undefined];
    if (right === undefined) for (const p of left) add(p, left);
    else for (const p of left) add(p, right);
  }
  return { map, longest: Math.max(0, ...[...map.keys()].map((k) => k.split(' ').length)) };
}

/** Reads and parses a synonyms file (see `parseSynonyms`). */
export async function loadSynonyms(path: string = DEFAULT_SYNONYMS_FILE): Promise<Synonyms> {
  return parseSynonyms(await readFile(path, 'utf8'));
}
