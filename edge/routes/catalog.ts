import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  parseAutocompleteParams,
  parseSearchParams,
  productPatchBody,
  type Catalog,
  type Storefront,
} from '../../catalog/index.ts';
import type { InterestCounter } from '../../analytics/index.ts';
import { AppError, type Config } from '../../platform/index.ts';
import type { ClientKey } from '../client-address.ts';
import type { EdgeEnv } from '../env.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { jsonBody } from '../validate.ts';

const uuid = z.uuid();

const productId = (c: Context<EdgeEnv>): string => {
  const id = c.req.param('product_id') ?? '';
  if (!uuid.safeParse(id).success) {
    throw new AppError('invalid', 'product_id must be a UUID', {
      details: { errors: [{ field: 'product_id', message: 'must be a UUID' }] },
    });
  }
  return id;
};

const page = (c: Context<EdgeEnv>, json: string | null, id: string) => {
  if (json === null) throw new AppError('not_found', `no product ${id}`);
  return c.body(json, 200, { 'Content-Type': 'application/json' });
};

export interface CatalogRoutesDeps {
  store: Storefront;
  /** Counts each product page view, for analytics. */
  interest: Pick<InterestCounter, 'viewed'>;
  limits: RateLimiter;
  clientKey: ClientKey;
  config: Pick<Config, 'SEARCH_LIMIT_PER_IP' | 'SEARCH_LIMIT_WINDOW_SECONDS'>;
}

/**
 * Public catalog routes (no sign-in): search, autocomplete, product pages (each view counted), the category tree. Searches and
 * autocompletes with valid parameters count together against the client address: beyond SEARCH_LIMIT_PER_IP in a
 * window of SEARCH_LIMIT_WINDOW_SECONDS they are 429 with Retry-After.
 */
export const catalogRoutes = ({ store, interest, limits, clientKey, config }: CatalogRoutesDeps) => {
  const counted = (c: Context<EdgeEnv>) =>
    limits.hit({
      scope: 'search:ip',
      id: clientKey(c),
      max: config.SEARCH_LIMIT_PER_IP,
      windowSeconds: config.SEARCH_LIMIT_WINDOW_SECONDS,
      message: 'too many searches from this address; try again later',
    });
  return new Hono<EdgeEnv>()
    .get('/products/search', async (c) => {
      const query = parseSearchParams(c.req.queries());
      await counted(c);
      return c.json(await store.search(query));
    })
    .get('/products/autocomplete', async (c) => {
      const { q, limit } = parseAutocompleteParams(c.req.queries());
      await counted(c);
      return c.json({ suggestions: await store.autocomplete(q, limit) });
    })
    .get('/products/:product_id', async (c) => {
      const id = productId(c);
      const answer = page(c, await store.page(id), id);
      interest.viewed(id.toLowerCase());
      return answer;
    })
    .get('/categories', async (c) => c.json({ categories: await store.categories() }));
};

/**
 * Admin product update: a partial update answered with the product page as stored. The change reaches search and
 * the page cache through product.events. The caller mounts it behind the admin role.
 */
export const adminProductRoutes = (catalog: Pick<Catalog, 'repo' | 'freshPage'>) =>
  new Hono<EdgeEnv>().put('/products/:product_id', async (c) => {
    const id = productId(c);
    await catalog.repo.updateProduct(id, await jsonBody(c, productPatchBody));
    return page(c, await catalog.freshPage(id), id);
  });
