import { Hono } from 'hono';

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
