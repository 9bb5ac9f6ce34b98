import { describe, expect, it } from 'vitest';
import { lookupWords, respell, segments, toTsquery, type Vocabulary } from './query-plan.ts';
import { parseSynonyms } from './synonyms.ts';

const synonyms = parseSynonyms('laptop, notebook\ncell phone, smartphone\ntv => television');
const vocab = (entries: Record<string, [number, [string, number, number][]]>): Vocabulary =>
  new Map(Object.entries(entries).map(([w, [freq, c]]) => [w, { freq, candidates: c.map(([term, sim, f]) => ({ term, sim, freq: f })) }]));

describe('lookupWords', () => {
  it('asks the vocabulary only about words long enough for trigrams, once each, never numbers', () => {
    expect(lookupWords(['tv', 'wireles', '2024', 'wireles', 'mug'])).toEqual(['wireles']);
  });
});

describe('segments and toTsquery', () => {
  it('requires every word, keeping the shopper’s own spelling', () => {
    expect(toTsquery(segments(['wireless', 'headphones'], synonyms, new Map()))).toBe('(wireless) & (headphones)');
  });

  it('adds close vocabulary words for a word the vocabulary does not know', () => {
    const v = vocab({
      wireles: [0, [['wireless', 0.7, 900], ['wirecutter', 0.46, 3], ['wiring', 0.35, 40]]],
      hedphones: [0, [['headphones', 0.61, 800]]],
    });
    expect(toTsquery(segments(['wireles', 'hedphones'], synonyms, v))).toBe(
      '(wireles | wireless | wirecutter) & (hedphones | headphones)',
    );
  });

  it('leaves known words alone even when similar words exist', () => {
    const v = vocab({ lamp: [50, [['lamps', 0.6, 80]]] });
    expect(toTsquery(segments(['lamp'], synonyms, v))).toBe('(lamp)');
  });

  it('expands synonyms, multi-word phrases first, and one-way rules only one way', () => {
    expect(toTsquery(segments(['cheap', 'cell', 'phone'], synonyms, new Map()))).toBe(
      '(cheap) & (cell <-> phone | smartphone)',
    );
    expect(toTsquery(segments(['notebook'], synonyms, new Map()))).toBe('(notebook | laptop)');
    expect(toTsquery(segments(['tv'], synonyms, new Map()))).toBe('(tv | television)');
    expect(toTsquery(segments(['television'], synonyms, new Map()))).toBe('(television)');
  });

  it('gives a corrected word its synonyms too', () => {
    const v = vocab({ laptpo: [0, [['laptop', 0.5, 10]]] });
    expect(toTsquery(segments(['laptpo'], synonyms, v))).toBe('(laptpo | laptop | notebook)');
  });
});

describe('respell', () => {
  it('replaces words that have a more frequent similar word by the most similar one', () => {
    const v = vocab({
      hedfones: [1, [['headphones', 0.32, 800], ['hedges', 0.4, 0]]],
      wireless: [900, [['wireles', 0.7, 1]]],
    });
    expect(respell(['wireless', 'hedfones'], v)).toBe('wireless headphones');
  });

  it('offers nothing when no word would change', () => {
    expect(respell(['mug'], vocab({ mug: [10, [['mugs', 0.6, 5]]] }))).toBeNull();
    expect(respell(['zzzz'], vocab({ zzzz: [0, [['fizz', 0.2, 50]]] }))).toBeNull();
  });
});
