/** The search page's path for a search API path: the same parameters, the price bounds as one `price` range. */
export function searchPagePath(apiPath: string): string {
  const params = new URLSearchParams(apiPath.slice(apiPath.indexOf('?') + 1));
  const min = params.get('price_min');
  const max = params.get('price_max');
  params.delete('price_min');
  params.delete('price_max');
  if (min !== null || max !== null) params.set('price', `${min ?? 0}-${max ?? ''}`);
  return `/search?${params.toString()}`;
}

/** The module scripts a page loads: the `src` of each `<script type="module">`. */
export const pageScripts = (html: string): string[] =>
  [...html.matchAll(/<script type="module" src="([^"]+)"><\/script>/g)].map((m) => m[1]!);

/** The relative modules a script imports statically (`import … from './x.js'`). */
export const moduleImports = (source: string): string[] =>
  [...source.matchAll(/^import\s[^'"]*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);

/** The first drop a page links to, if any. */
export const linkedDrop = (html: string): string | undefined => /href="\/drops\/([0-9a-f-]{36})"/.exec(html)?.[1];
