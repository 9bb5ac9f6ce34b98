import type { Statement } from './search-sql.ts';

/** Vocabulary words offered to complete the last, unfinished word. */
const COMPLETIONS = 5;

/**
 * The statements of one autocomplete, for words from `tokenize` (letters and digits only, so safe in LIKE patterns
 * and tsquery text). `complete` means the shopper finished the last word (typed a space after it).
 * - completions: the most frequent vocabulary words starting with the last word (none when it is complete);
 * - names: categories and brands whose name starts with the words, or has a word starting so; at most half;
 * - products(completions): best sellers whose title holds the finished words and a word starting with the last one.
 */
export function autocompleteStatements(tokens: readonly string[], complete: boolean, limit: number) {
  const last = tokens[tokens.length - 1]!;
  const finished = complete ? tokens : tokens.slice(0, -1);
  const completions: Statement = complete
    ? { text: 'select null::text as term where false', params: [] }
    : {
        text: `select term from catalog_terms where kind = 'word' and term like $1 || '%'
               order by freq desc, term limit ${COMPLETIONS}`,
        params: [last],
      };
  const names: Statement = {
    text: `select label as text, kind, case when kind = 'category' then term end as id from catalog_terms
           where (kind = 'brand' and catalog_norm(term) like $1 || '%')
              or (kind = 'category' and (term like $2 || '%' or term like '%-' || $2 || '%'))
           order by freq desc, label limit $3`,
    params: [tokens.join(' '), tokens.join('-'), Math.ceil(limit / 2)],
  };
  // Title words only (weight A), as shoppers read suggestions as titles.
  const products = (words: readonly string[]): Statement => {
    const lastPart = complete ? [] : [[...new Set([...words.map((w) => `${w}:A`), `${last}:*A`])].join(' | ')];
    const tsquery = [...finished.map((w) => `${w}:A`), ...lastPart].map((w) => `(${w})`).join(' & ');
    return {
      text: `select title as text, 'product' as kind, product_id::text as id from products
             where search_vector @@ to_tsquery('english', $1)
             order by sales_count desc, product_id limit $2`,
      params: [tsquery, limit],
    };
  };
  return { completions, names, products };
}
