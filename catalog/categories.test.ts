import { describe, expect, it } from 'vitest';
import { buildCategoryTree } from './categories.ts';

describe('buildCategoryTree', () => {
  it('counts products at or below each node and orders children by count', () => {
    const tree = buildCategoryTree([
      { path: ['Electronics', 'Audio', 'Headphones'], slugs: ['electronics', 'audio', 'headphones'], count: 5 },
      { path: ['Electronics', 'Audio', 'Speakers'], slugs: ['electronics', 'audio', 'speakers'], count: 7 },
      { path: ['Electronics', 'Computers', 'Laptops'], slugs: ['electronics', 'computers', 'laptops'], count: 20 },
      { path: ['Electronics', 'Audio'], slugs: ['electronics', 'audio'], count: 1 },
      { path: ['Home'], slugs: ['home'], count: 3 },
    ]);
    expect(tree.map((n) => [n.slug, n.count])).toEqual([['electronics', 33], ['home', 3]]);
    const electronics = tree[0]!;
    expect(electronics.children.map((n) => [n.name, n.count])).toEqual([['Computers', 20], ['Audio', 13]]);
    expect(electronics.children[1]!.children.map((n) => n.slug)).toEqual(['speakers', 'headphones']);
    expect(tree[1]!.children).toEqual([]);
  });
});
