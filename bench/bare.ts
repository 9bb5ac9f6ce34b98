import { Hono } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemJson } from '../edge/index.ts';
import { joinPath } from './setup.ts';

/**
 * The ceiling of this machine for an HTTP route: Hono with no middleware, answering a small JSON document.
 * The POST reads its body, as every real POST handler must.
 */
export const bareApp = () =>
  new Hono()
    .post('/bare', async (c) => {
      await c.req.text();
      return c.json({ ok: true }, 202);
    })
    .get('/bare', (c) => c.json({ ok: true }));

/** A join's path, for the raw answer's crowd (any path gets the same answer). */
export const RAW_JOIN_PATH = joinPath('00000000-0000-4000-8000-000000000000');
const GONE = problemJson('gone', 'the drop is sold out', RAW_JOIN_PATH, '00000000-0000-4000-8000-000000000000', {
  reason: 'sold_out',
});

/**
 * The ceiling for any answer to a join, below every framework: Node's HTTP server answering each request with
 * a sold-out problem document made once, its body left unread (as the sold-out fast path leaves it).
 */
export function rawGone(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(410, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(GONE) });
  res.end(GONE);
}
