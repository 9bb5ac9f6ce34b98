import type { Synonyms } from './synonyms.ts';

/** Trigram similarity at which an unknown word also searches for a vocabulary word (typo tolerance). */
const FUZZY_MIN_SIMILARITY = 0.45;
/** Vocabulary words an unknown word may stand for, at most. */
const FUZZY_MAX_CANDIDATES = 2;
/** Trigram similarity at which a vocabulary word may be offered as `did_you_mean`. */
const SUGGEST_MIN_SIMILARITY = 0.3;
/** A query that finds fewer results than this gets a `did_you_mean` when a better spelling finds more. */
export const FEW_RESULTS = 3;

/** What the vocabulary knows of one query word: how often it occurs (0: unknown) and similar words. */
export interface TermInfo {
  freq: number;
  /** Similar vocabulary words, most similar first. */
  candidates: readonly { term: string; sim: number; freq: number }[];
}
export type Vocabulary = ReadonlyMap<string, TermInfo>;

/** The query words worth looking up: long enough for trigram similarity to mean something, and not numbers. */
export const lookupWords = (tokens: readonly string[]): string[] =>
  [...new Set(tokens)].filter((t) => t.length >= 4 && !/^\p{N}+$/u.test(t));

/** One required part of a query: any of its phrases (each a list of consecutive words) must match. */
export interface Segment {
  alternatives: string[][];
}

const synonymsOf = (synonyms: Synonyms, phrase: string[]) => synonyms.map.get(phrase.join(' ')) ?? [phrase];

function withAlternative(list: string[][], phrase: readonly string[]) {
  if (!list.some((p) => p.join(' ') === phrase.join(' '))) list.push([...phrase]);
}

/**
 * Splits query words into required segments: a synonym phrase (longest first) becomes one segment with its
 * synonyms; any other word is a segment of itself, plus, when the vocabulary does not know it, the most similar
 * vocabulary words (and their synonyms). Every segment keeps the shopper's own words.
 */
export function segments(tokens: readonly string[], synonyms: Synonyms, vocabulary: Vocabulary): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    for (let n = Math.min(synonyms.longest, tokens.length - i); n >= 1 && matched === 0; n--) {
      const phrase = tokens.slice(i, i + n);
      if (synonyms.map.has(phrase.join(' '))) {
        out.push({ alternatives: synonymsOf(synonyms, phrase).map((p) => [...p]) });
        matched = n;
      }
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const word = tokens[i]!;
    const alternatives = [[word]];
    const info = vocabulary.get(word);
    if (info && info.freq === 0) {
      const close = info.candidates.filter((c) => c.sim >= FUZZY_MIN_SIMILARITY).slice(0, FUZZY_MAX_CANDIDATES);
      for (const c of close) for (const p of synonymsOf(synonyms, [c.term])) withAlternative(alternatives, p);
    }
    out.push({ alternatives });
    i += 1;
  }
  return out;
}

/**
 * The segments as `to_tsquery` text: segments joined by `&`, alternatives by `|`, words of a phrase by `<->`.
 * Safe to pass as is: the words come from `tokenize`, which keeps letters and digits only.
 */
export const toTsquery = (segs: readonly Segment[]): string =>
  segs.map((s) => `(${s.alternatives.map((p) => p.join(' <-> ')).join(' | ')})`).join(' & ');

/**
 * A respelling of the query to offer as `did_you_mean`: each word the vocabulary has a more frequent, similar
 * enough word for is replaced by the most similar such word. Null when no word would change.
 */
export function respell(tokens: readonly string[], vocabulary: Vocabulary): string | null {
  let changed = false;
  const words = tokens.map((t) => {
    const info = vocabulary.get(t);
    const best = info?.candidates
      .filter((c) => c.sim >= SUGGEST_MIN_SIMILARITY && c.freq > info.freq && c.term !== t)
      .sort((a, b) => b.sim - a.sim || b.freq - a.freq)[0];
    if (!best) return t;
    changed = true;
    return best.term;
  });
  return changed ? words.join(' ') : null;
}
