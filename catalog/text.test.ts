import { describe, expect, it } from 'vitest';
import { MAX_TOKENS, slugify, tokenize } from './text.ts';

describe('tokenize', () => {
  it('lower-cases and splits on anything but letters and digits', () => {
    expect(tokenize("  Wireless, Noise-Cancelling HEADPHONES (men's) 4K ")).toEqual([
      'wireless', 'noise', 'cancelling', 'headphones', 'men', 's', '4k',
    ]);
  });

  it('never lets tsquery syntax through', () => {
    expect(tokenize("a & b | !c <-> d:* 'e'")).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps letters of other scripts and caps the number of words', () => {
    expect(tokenize('Café Łódź')).toEqual(['café', 'łódź']);
    expect(tokenize('w '.repeat(50))).toHaveLength(MAX_TOKENS);
  });
});

describe('slugify', () => {
  it('turns names into the slugs the database derives', () => {
    expect(slugify('Home & Kitchen')).toBe('home-kitchen');
    expect(slugify("Men's Clothing")).toBe('men-s-clothing');
    expect(slugify('  TV & Video ')).toBe('tv-video');
    expect(slugify('electronics')).toBe('electronics');
  });
});
