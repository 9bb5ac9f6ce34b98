import { z } from 'zod';

/** What a cart line needs to know of its product today, read from the catalog's product page. */
export interface ProductFacts {
  product_id: string;
  sku: string;
  title: string;
  /** The first image, or null when the product has none. */
  image: string | null;
  price_cents: number;
  currency: string;
  /** Units for sale across warehouses. */
  available: number;
  /** The scheduled or open drop the product is in (its units sell only through the drop), else null. */
  drop_id: string | null;
}

/** The source of product pages: the catalog's Storefront.page, cached in Redis with PostgreSQL behind. */
export interface ProductPages {
  /** The product page as JSON text, or null for an unknown product. */
  page(product_id: string): Promise<string | null>;
}

const pageSchema = z.object({
  product_id: z.string(),
  sku: z.string(),
  title: z.string(),
  images: z.array(z.unknown()),
  price_cents: z.number().int().min(0),
  currency: z.string(),
  stock: z.object({ available: z.number() }),
  // pages cached before the field existed carry none
  drop_id: z.string().nullable().optional(),
});

/**
 * The facts of a product page, null for an unknown product. Throws on a page that lacks a field the cart
 * reads: that is a defect between catalog and cart, not a missing product.
 */
export function factsOf(page: string | null): ProductFacts | null {
  if (page === null) return null;
  const parsed = pageSchema.safeParse(JSON.parse(page));
  if (!parsed.success) throw new Error(`a product page lacks what the cart reads: ${parsed.error.message}`);
  const p = parsed.data;
  const image = p.images.find((i): i is string => typeof i === 'string') ?? null;
  return {
    product_id: p.product_id,
    sku: p.sku,
    title: p.title,
    image,
    price_cents: p.price_cents,
    currency: p.currency,
    available: Math.max(0, p.stock.available),
    drop_id: p.drop_id ?? null,
  };
}

/** The facts of each product named, by product id, read in parallel. */
export async function factsFor(
  products: ProductPages,
  ids: readonly string[],
): Promise<Map<string, ProductFacts | null>> {
  const pages = await Promise.all(ids.map((id) => products.page(id)));
  return new Map(ids.map((id, i) => [id, factsOf(pages[i] ?? null)]));
}
