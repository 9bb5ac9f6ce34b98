import type { Drops, PublicDrop } from '../admission/index.ts';
import type { Storefront } from '../catalog/index.ts';
import type { ZoneTable } from '../platform/index.ts';

/** What the pages read on the server: the catalog's storefront (cached), the drops, and where the shop ships. */
export interface WebDeps {
  storefront: Storefront;
  drops: Pick<Drops, 'list' | 'get'>;
  /** SHIPPING_ZONES: the countries (and regions) the delivery estimate and the checkout offer. */
  zones: ZoneTable;
}

/** The fields of a product page (GET /api/v1/products/{id}) the pages show. */
export interface ProductPage {
  product_id: string;
  sku: string;
  title: string;
  description: string;
  brand: string | null;
  category_path: string[];
  category_slugs: string[];
  price_cents: number;
  currency: string;
  rating_avg: number;
  rating_count: number;
  attributes: Record<string, string | number | boolean>;
  max_per_order: number | null;
  drop_id: string | null;
  stock: {
    available: number;
    in_stock: boolean;
    warehouses: { warehouse_id: string; name: string; region: string; available: number }[];
  };
}

/** A product page from the storefront's cache, or null for an unknown product. */
export async function productPage(store: Storefront, id: string): Promise<ProductPage | null> {
  const json = await store.page(id);
  return json === null ? null : (JSON.parse(json) as ProductPage);
}

/** Each drop with the title of its product (a drop whose product is gone keeps a plain name). */
export const titledDrops = (store: Storefront, drops: PublicDrop[]) =>
  Promise.all(
    drops.map(async (d) => ({ drop: d, title: (await productPage(store, d.product_id))?.title ?? 'Drop' })),
  );
