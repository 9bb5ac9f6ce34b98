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
import { AppError } from '../../platform/index.ts';
import type { EdgeEnv } from '../env.ts';
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

/** Public catalog routes (no sign-in): search, autocomplete, product pages (each view counted), the category tree. */
export const catalogRoutes = (store: Storefront, interest: Pick<InterestCounter, 'viewed'>) =>
  new Hono<EdgeEnv>()
    .get('/products/search', async (c) => c.json(await store.search(parseSearchParams(c.req.queries()))))
    .get('/products/autocomplete', async (c) => {
      const { q, limit } = parseAutocompleteParams(c.req.queries());
      return c.json({ suggestions: await store.autocomplete(q, limit) });
    })
    .get('/products/:product_id', async (c) => {
      const id = productId(c);
      const answer = page(c, await store.page(id), id);
      interest.viewed(id.toLowerCase());
      return answer;
    })
    .get('/categories', async (c) => c.json({ categories: await store.categories() }));

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
