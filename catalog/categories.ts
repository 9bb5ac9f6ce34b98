import type { Sql } from '../platform/index.ts';

export interface CategoryNode {
  slug: string;
  name: string;
  /** Products in this category or any category below it. */
  count: number;
  children: CategoryNode[];
}

/** Product counts per distinct category path, as the database groups them. */
export interface PathCount {
  path: string[];
  slugs: string[];
  count: number;
}

/**
 * The category tree of some path counts: one node per distinct path prefix (siblings told apart by slug),
 * counting the products at or below it, children ordered by count (then name). Products without a category
 * appear nowhere.
 */
export function buildCategoryTree(rows: readonly PathCount[]): CategoryNode[] {
  const root: CategoryNode = { slug: '', name: '', count: 0, children: [] };
  for (const r of rows) {
    let node = root;
    for (const [depth, slug] of r.slugs.entries()) {
      let child = node.children.find((c) => c.slug === slug);
      if (!child) {
        child = { slug, name: r.path[depth] ?? slug, count: 0, children: [] };
        node.children.push(child);
      }
      child.count += r.count;
      node = child;
    }
  }
  const order = (nodes: CategoryNode[]): CategoryNode[] =>
    nodes
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .map((n) => ({ ...n, children: order(n.children) }));
  return order(root.children);
}

/** The whole catalog's category tree with product counts. */
export async function loadCategoryTree(sql: Sql): Promise<CategoryNode[]> {
  const rows = await sql<PathCount[]>`
    select category_path as path, category_slugs as slugs, count(*)::int as count
    from products where cardinality(category_path) > 0
    group by category_path, category_slugs`;
  return buildCategoryTree(rows);
}
