import type { Runtime } from '../platform/index.ts';
import { answeredLine, runCrowd, type CrowdResult } from './crowd.ts';
import { buyBody, type Buyer, type Stock } from './setup.ts';

export interface BaselineRun {
  crowd: CrowdResult;
  /** Orders created for the product, and what is left of its inventory row. */
  orders: number;
  available: number;
  reserved: number;
}

/**
 * The row-lock baseline: the same buyers, with the same tokens and bodies and the same autocannon settings,
 * each buying once through the synchronous `POST /api/v1/bench/rowlock/…/buy` of the same edge process.
 */
export async function runBaseline(o: {
  rt: Runtime;
  edgeUrl: string;
  stock: Stock;
  buyers: readonly Buyer[];
  tokens: readonly string[];
  connections: number;
  progress: (line: string) => void;
}): Promise<BaselineRun> {
  const crowd = await runCrowd({
    url: o.edgeUrl,
    method: 'POST',
    path: `/api/v1/bench/rowlock/${o.stock.product_id}/${o.stock.warehouse_id}/buy`,
    tokens: o.tokens,
    body: buyBody(o.buyers),
    connections: o.connections,
    progress: (counts, seconds) => o.progress(`[baseline ${seconds.toFixed(1)}s] ${answeredLine(counts, [201, 410])}`),
  });
  const { sql } = o.rt;
  const [inv] = await sql<{ available_count: number; reserved_count: number }[]>`
    select available_count, reserved_count from inventory
    where product_id = ${o.stock.product_id} and warehouse_id = ${o.stock.warehouse_id}`;
  const [orders] = await sql<{ n: number }[]>`
    select count(*)::int as n from order_items where product_id = ${o.stock.product_id}`;
  return { crowd, orders: orders?.n ?? 0, available: inv?.available_count ?? NaN, reserved: inv?.reserved_count ?? NaN };
}
