import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { AppError, type Config, isAppError, type Logger } from '../platform/index.ts';
import type { Drops, Intents } from '../admission/index.ts';
import type { InterestCounter, Reports } from '../analytics/index.ts';
import type { Carts } from '../cart/index.ts';
import type { Catalog } from '../catalog/index.ts';
import type { HeldCheckout } from '../checkout/index.ts';
import type { Shipments } from '../fulfillment/index.ts';
import type { Orders } from '../orders/index.ts';
import type { AccountsRepo } from './accounts/repo.ts';
import { requireAuth } from './auth/middleware.ts';
import { bodyLimit } from './body-limit.ts';
import type { EdgeEnv } from './env.ts';
import { runChecks, type Check } from './health.ts';
import type { Metrics } from './metrics.ts';
import { problem } from './problem.ts';
import { accountRoutes } from './routes/accounts.ts';
import { adminCatalogRoutes } from './routes/admin-catalog.ts';
import { adminAnalyticsRoutes } from './routes/analytics.ts';
import { cartRoutes } from './routes/cart.ts';
import { adminProductRoutes, catalogRoutes } from './routes/catalog.ts';
import { adminDropRoutes, dropRoutes, type WaitingRoomAddress } from './routes/drops.ts';
import { adminOrderRoutes, orderRoutes } from './routes/orders.ts';
import { adminShipmentRoutes } from './routes/shipments.ts';

export interface EdgeDeps {
  config: Pick<Config, 'JWT_SECRET' | 'JWT_TTL_SECONDS' | 'BODY_LIMIT_BYTES'>;
  logger: Logger;
  metrics: Metrics;
  /** Probes of PostgreSQL, Redis and Kafka for /readyz. */
  checks: Record<string, Check>;
  accounts: AccountsRepo;
  catalog: Pick<Catalog, 'repo' | 'storefront' | 'freshPage'>;
  carts: Carts;
  drops: Drops;
  intents: Intents;
  orders: Orders;
  shipments: Pick<Shipments, 'mark'>;
  /** Counts product page views and cart adds for analytics. */
  interest: InterestCounter;
  reports: Reports;
  checkout: HeldCheckout;
  /** Where the join answer sends shoppers for the waiting room. */
  waitingRoom: WaitingRoomAddress;
}

/** The HTTP API: every error leaves as application/problem+json, unknown errors as a generic 500. */
export function createApp(deps: EdgeDeps) {
  const { logger } = deps;
  const app = new Hono<EdgeEnv>();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    await next();
    logger.info(
      {
        request_id: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
  app.use(deps.metrics.middleware);
  app.use(
    bodyLimit(deps.config.BODY_LIMIT_BYTES, () => {
      throw new AppError('too_large', `request body is larger than ${deps.config.BODY_LIMIT_BYTES} bytes`);
    }),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await runChecks(deps.checks, 1_500);
    const down = Object.entries(results).filter(([, r]) => !r.ok);
    const checks = Object.fromEntries(Object.entries(results).map(([n, r]) => [n, r.ok ? 'up' : `down: ${r.error}`]));
    if (down.length === 0) return c.json({ status: 'ready', checks });
    return problem(c, 'unavailable', `not reachable: ${down.map(([n]) => n).join(', ')}`, { checks });
  });
  app.get('/metrics', async (c) =>
    c.body(await deps.metrics.registry.metrics(), 200, { 'Content-Type': deps.metrics.registry.contentType }),
  );

  app.route('/api/v1', accountRoutes(deps.accounts, deps.config, deps.carts));
  app.use('/api/v1/admin/*', requireAuth(deps.config.JWT_SECRET, 'admin'));
  app.route('/api/v1/admin', adminCatalogRoutes(deps.catalog.repo));
  app.route('/api/v1/admin', adminProductRoutes(deps.catalog));
  app.route('/api/v1/admin', adminDropRoutes(deps.drops));
  app.route('/api/v1/admin', adminOrderRoutes(deps.orders));
  app.route('/api/v1/admin', adminShipmentRoutes(deps.shipments));
  app.route('/api/v1/admin', adminAnalyticsRoutes(deps.reports));
  for (const path of ['/api/v1/drops', '/api/v1/drops/*', '/api/v1/orders/*', '/api/v1/me/orders']) {
    app.use(path, requireAuth(deps.config.JWT_SECRET));
  }
  app.route('/api/v1', catalogRoutes(deps.catalog.storefront, deps.interest));
  app.route('/api/v1', cartRoutes(deps.carts, deps.config.JWT_SECRET, deps.interest));
  app.route('/api/v1', dropRoutes(deps.drops, deps.intents, deps.waitingRoom));
  app.route('/api/v1', orderRoutes(deps.orders, deps.checkout));

  app.notFound((c) => problem(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (isAppError(err)) {
      const extra = err.kind === 'rate_limited' && typeof err.details.retry_after === 'number';
      if (extra) c.header('Retry-After', String(err.details.retry_after));
      return problem(c, err.kind, err.message, err.details);
    }
    logger.error({ err, request_id: c.get('requestId') }, 'unhandled error');
    return problem(c, 'internal', 'an unexpected error occurred; quote the request id when reporting it');
  });
  return app;
}
