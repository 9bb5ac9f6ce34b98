import type { estypes } from '@elastic/elasticsearch';
import type { Synonyms } from '../synonyms.ts';

/** The synonym rules in the Solr format of the `synonym_graph` filter: each phrase => everything it also finds. */
const solrSynonyms = (synonyms: Synonyms): string[] =>
  [...synonyms.map].map(([phrase, alternatives]) => `${phrase} => ${alternatives.map((a) => a.join(' ')).join(', ')}`);

/**
 * Settings and mappings of a catalog index. Text is analysed as PostgreSQL's `english` configuration does
 * (lower case, English stop words, Snowball stemming); queries add the synonyms file at search time. `all_text`
 * gathers title, brand, category names and description (what a query must match); title, brand and category
 * carry the ranking weights; `title.exact` compares whole titles as `catalog_norm` does; `title.prefix` holds
 * edge n-grams for autocomplete; `all_text.plain` keeps whole words for spelling suggestions.
 */
export function indexDefinition(synonyms: Synonyms): { settings: estypes.IndicesIndexSettings; mappings: estypes.MappingTypeMapping } {
  const text = { type: 'text', analyzer: 'catalog_text', search_analyzer: 'catalog_search' } as const;
  return {
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      refresh_interval: '1s',
      analysis: {
        char_filter: { non_alnum: { type: 'pattern_replace', pattern: '[^\\p{L}\\p{N}]+', replacement: ' ' } },
        filter: {
          catalog_synonyms: { type: 'synonym_graph', synonyms: solrSynonyms(synonyms) },
          english_stop: { type: 'stop', stopwords: '_english_' },
          english_stem: { type: 'snowball', language: 'English' },
          prefixes: { type: 'edge_ngram', min_gram: 1, max_gram: 20 },
        },
        analyzer: {
          catalog_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'english_stop', 'english_stem'] },
          catalog_search: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'catalog_synonyms', 'english_stop', 'english_stem'] },
          catalog_plain: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
          catalog_prefix: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'prefixes'] },
        },
        normalizer: {
          catalog_exact: { type: 'custom', char_filter: ['non_alnum'], filter: ['lowercase', 'trim'] },
          lower: { type: 'custom', filter: ['lowercase'] },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        product_id: { type: 'keyword' },
        title: {
          ...text,
          copy_to: 'all_text',
          fields: {
            exact: { type: 'keyword', normalizer: 'catalog_exact' },
            prefix: { type: 'text', analyzer: 'catalog_prefix', search_analyzer: 'catalog_plain' },
          },
        },
        brand: { type: 'keyword', copy_to: 'all_text', fields: { lower: { type: 'keyword', normalizer: 'lower' }, text } },
        category_path: { type: 'keyword' },
        category_text: { ...text, copy_to: 'all_text' },
        category_slugs: { type: 'keyword' },
        /** `slug:name` of every level, for the category facet's labels and autocomplete. */
        category_keys: { type: 'keyword' },
        description: { ...text, copy_to: 'all_text' },
        all_text: { ...text, fields: { plain: { type: 'text', analyzer: 'catalog_plain' } } },
        price_cents: { type: 'long' },
        currency: { type: 'keyword' },
        rating_avg: { type: 'double' },
        rating_count: { type: 'integer' },
        sales_count: { type: 'long' },
        in_stock: { type: 'boolean' },
        created_at: { type: 'date' },
        image: { type: 'keyword', index: false },
      },
    },
  };
}

/** A product row as the index stores it. */
export interface ProductRow {
  product_id: string;
  title: string;
  brand: string | null;
  category_path: string[];
  category_slugs: string[];
  description: string;
  price_cents: number;
  currency: string;
  rating_avg: number;
  rating_count: number;
  sales_count: number;
  in_stock: boolean;
  created_at: Date;
  image: string | null;
}

/** The document of a product row (ids are the document ids). */
const documentOf = (p: ProductRow) => ({
  ...p,
  category_text: p.category_path.join(' '),
  category_keys: p.category_slugs.map((s, i) => `${s}:${p.category_path[i] ?? s}`),
});

/** Bulk operations that write these rows' documents to `index`. */
export const indexOperations = (index: string, rows: readonly ProductRow[]) =>
  rows.flatMap((r) => [{ index: { _index: index, _id: r.product_id } }, documentOf(r)]);

/** The columns a document needs, for `select ${PRODUCT_COLUMNS} from products p`. */
export const PRODUCT_COLUMNS = `p.product_id, p.title, p.brand, p.category_path, p.category_slugs, left(p.description, 1000) as description,
  p.price_cents::float8 as price_cents, p.currency, p.rating_avg::float8 as rating_avg, p.rating_count,
  p.sales_count::float8 as sales_count, p.in_stock, p.created_at, p.images->>0 as image`;
