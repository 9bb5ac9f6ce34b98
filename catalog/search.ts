import type { ProductEvent } from '../contracts/index.ts';

/** How search results are ordered; every order ends with product_id, so pages never overlap or skip. */
export const SORTS = ['relevance', 'price_asc', 'price_desc', 'rating', 'newest', 'bestselling'] as const;
export type Sort = (typeof SORTS)[number];

/** A validated search request (see `parseSearchParams`). */
export interface SearchQuery {
  /** The shopper's words, trimmed; empty means browse. */
  q: string;
  /** Brand names, matched without regard to case; any of them (OR). */
  brands: string[];
  /** Category slugs, each matching any level of a product's category path; any of them (OR). */
  categories: string[];
  priceMin?: number;
  priceMax?: number;
  ratingMin?: number;
  /** Only products with units for sale in some warehouse. */
  inStock: boolean;
  sort: Sort;
  page: number;
  pageSize: number;
}

export interface ProductHit {
  product_id: string;
  title: string;
  brand: string | null;
  price_cents: number;
  currency: string;
  rating_avg: number;
  rating_count: number;
  category_path: string[];
  in_stock: boolean;
  image: string | null;
}

export interface Facets {
  brands: { value: string; count: number }[];
  /** value is the slug to pass as `category`; label is the category's name. */
  categories: { value: string; label: string; count: number }[];
  /** Inclusive bounds in minor units; `to` is null for the open-ended top range. */
  price_ranges: { from: number; to: number | null; count: number }[];
  ratings: { min: number; count: number }[];
}

export interface SearchResult {
  products: ProductHit[];
  facets: Facets;
  total: number;
  page: number;
  page_size: number;
  did_you_mean?: string;
}

export interface Suggestion {
  text: string;
  kind: 'product' | 'category' | 'brand';
  /** The product id, or the category slug. */
  id?: string;
}

export interface ProductChange {
  product_id: string;
  type: ProductEvent['type'];
}

/**
 * A search engine over the catalog. PostgreSQL stays the source of truth; an engine answers searches and
 * autocomplete, and `index` brings it up to date after products changed (the catalog indexer calls it for every
 * batch of `product.events`).
 */
export interface SearchEngine {
  readonly name: string;
  /** Matching products in the requested order and page, with facet counts, the total and maybe a correction. */
  search(query: SearchQuery): Promise<SearchResult>;
  /** Categories, brands and products whose words start as `prefix` does, best first. */
  autocomplete(prefix: string, limit: number): Promise<Suggestion[]>;
  /**
   * Reflects these changes in what search answers; idempotent, so redelivered events are harmless. Resolves
   * false only when no search answer can have changed (stock moved but no product went in or out of stock).
   */
  index(changes: readonly ProductChange[]): Promise<boolean>;
  /** Resolves when the engine answers a trivial request (the edge's readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
