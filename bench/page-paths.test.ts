import { describe, expect, it } from 'vitest';
import { linkedDrop, moduleImports, pageScripts, searchPagePath } from './page-paths.ts';

describe('searchPagePath', () => {
  it('keeps the search parameters and turns the price bounds into one range', () => {
    expect(searchPagePath('/api/v1/products/search?q=red+shoe&price_min=100&price_max=900&sort=rating')).toBe(
      '/search?q=red+shoe&sort=rating&price=100-900',
    );
    expect(searchPagePath('/api/v1/products/search?category=shoes')).toBe('/search?category=shoes');
  });
});

describe('page scripts', () => {
  it('finds the module scripts of a page and the relative modules they import', () => {
    const html = '<script type="module" src="/assets/common.js"></script>\n<script type="module" src="/assets/drop.js"></script>';
    expect(pageScripts(html)).toEqual(['/assets/common.js', '/assets/drop.js']);
    expect(moduleImports("import { api, say } from './common.js';\nimport x from 'pkg';\nconst y = 'import';")).toEqual(['./common.js']);
  });

  it('finds a drop the page links to', () => {
    expect(linkedDrop('<a href="/drops/01a242a5-6438-7bea-af76-38b278571caf">x</a>')).toBe('01a242a5-6438-7bea-af76-38b278571caf');
    expect(linkedDrop('<p>no drops</p>')).toBeUndefined();
  });
});
