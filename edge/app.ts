import { Hono, type Context } from 'hono';
import { requestId } from 'hono/request-id';
import { AppError, type Config, type ErrorKind, isAppError, type Logger, metricsListener } from '../platform/index.ts';
import type { Drops, Intents } from '../admission/index.ts';
import type { InterestCounter, Reports } from '../analytics/index.ts';
import type { Carts } from '../cart/index.ts';
import type { Catalog } from '../catalog/index.ts';
import type { Availability, CartCheckout, HeldCheckout } from '../checkout/index.ts';
import type { Shipments } from '../fulfillment/index.ts';
import type { Orders } from '../orders/index.ts';
import { errorPage, webRoutes } from '../web/index.ts';
import type { AccountsRepo } from './accounts/repo.ts';
import { requireAuth } from './auth/middleware.ts';
import { bodyLimit } from './body-limit.ts';
import { clientKeyOf, trustedProxies } from './client-address.ts';
import type { EdgeEnv } from './env.ts';
import { runChecks, type Check } from './health.ts';
import type { Metrics } from './metrics.ts';
import { problem, statusOf, titles } from './problem.ts';
import type { RateLimiter } from './rate-limit.ts';
import { accountRoutes } from './routes/accounts.ts';
import { adminCatalogRoutes } from './routes/admin-catalog.ts';
import { adminAnalyticsRoutes } from './routes/analytics.ts';
import { cartRoutes } from './routes/cart.ts';
import { availabilityRoutes, checkoutRoutes } from './routes/checkouts.ts';
import { adminProductRoutes, catalogRoutes } from './routes/catalog.ts';
import { adminDropRoutes, dropRoutes, type WaitingRoomAddress } from './routes/drops.ts';
import { opsRoutes, type OpsDeps } from './routes/ops.ts';
import { adminOrderRoutes, orderRoutes } from './routes/orders.ts';
import { adminShipmentRoutes } from './routes/shipments.ts';
import { storableUrl } from './validate.ts';

export interface EdgeDeps {
  config: Pick<
    Config,
    | 'JWT_SECRET'
    | 'JWT_TTL_SECONDS'
    | 'BODY_LIMIT_BYTES'
    | 'HOST'
    | 'METRICS_HOST'
    | 'METRICS_PORT'
    | 'TRUST_PROXY'
    | 'AUTH_LIMIT_PER_IP'
    | 'AUTH_LIMIT_PER_ACCOUNT'
    | 'AUTH_LIMIT_WINDOW_SECONDS'
    | 'PASSWORD_HASH_CONCURRENCY'
    | 'PASSWORD_HASH_WAIT_MS'
    | 'SEARCH_LIMIT_PER_IP'
    | 'SEARCH_LIMIT_WINDOW_SECONDS'
    | 'SHIPPING_ZONES'
  >;
  logger: Logger;
  /** The counters of the per-client-address and per-account limits. */
  limits: RateLimiter;
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
  /** The cart checkout, and product availability for a destination. */
  checkouts: CartCheckout;
  availability: Availability;
  /** Where the join answer sends shoppers for the waiting room. */
  waitingRoom: WaitingRoomAddress;
  /** The ops dashboard's live figures and audits. */
  ops: Omit<OpsDeps, 'metrics'>;
}

/** A page a browser asked for: a GET outside the API and the probes, whose errors are answered as pages. */
const isPageRequest = (c: Context) =>
  (c.req.method === 'GET' || c.req.method === 'HEAD') &&
  !c.req.path.startsWith('/api/') &&
  !['/metrics', '/healthz', '/readyz'].includes(c.req.path);

/**
 * The HTTP API and the pages: an API error leaves as application/problem+json, a page's as an error page; unknown
 * errors as a generic 500. Every limit per client address counts under the one key `clientKeyOf` gives (the client
 * as TRUST_PROXY lets it be known). /metrics is served here unless a listener of its own serves it (METRICS_HOST,
 * METRICS_PORT).
 */
export function createApp(deps: EdgeDeps) {
  const { logger, config, limits } = deps;
  const clientKey = clientKeyOf(trustedProxies(config.TRUST_PROXY));
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
  app.use(storableUrl);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Names and up/down only: why a dependency is down (addresses, versions) is for the log, not for anyone asking.
  app.get('/readyz', async (c) => {
    const results = await runChecks(deps.checks, 1_500);
    const down: string[] = [];
    for (const [name, r] of Object.entries(results)) {
      if (r.ok) continue;
      down.push(name);
      logger.warn({ check: name, err: r.error, request_id: c.get('requestId') }, 'readiness check failed');
    }
    const checks = Object.fromEntries(Object.entries(results).map(([n, r]) => [n, r.ok ? 'up' : 'down']));
    if (down.length === 0) return c.json({ status: 'ready', checks });
    return problem(c, 'unavailable', `not reachable: ${down.join(', ')}`, { checks });
  });
  if (metricsListener(deps.config) === undefined) {
    app.get('/metrics', async (c) =>
      c.body(await deps.metrics.text(), 200, { 'Content-Type': deps.metrics.registry.contentType }),
    );
  }

  app.route('/api/v1', accountRoutes({ accounts: deps.accounts, config, carts: deps.carts, limits, clientKey, logger }));
  app.use('/api/v1/admin/*', requireAuth(deps.config.JWT_SECRET, 'admin'));
  app.route('/api/v1/admin', adminCatalogRoutes(deps.catalog.repo));
  app.route('/api/v1/admin', adminProductRoutes(deps.catalog));
  app.route('/api/v1/admin', adminDropRoutes(deps.drops));
  app.route('/api/v1/admin', opsRoutes({ ...deps.ops, metrics: deps.metrics }));
  app.route('/api/v1/admin', adminOrderRoutes(deps.orders));
  app.route('/api/v1/admin', adminShipmentRoutes(deps.shipments));
  app.route('/api/v1/admin', adminAnalyticsRoutes(deps.reports));
  for (const path of ['/api/v1/drops', '/api/v1/drops/*', '/api/v1/orders/*', '/api/v1/me/orders', '/api/v1/checkouts', '/api/v1/checkouts/*']) {
    app.use(path, requireAuth(deps.config.JWT_SECRET));
  }
  app.route('/api/v1', catalogRoutes({ store: deps.catalog.storefront, interest: deps.interest, limits, clientKey, config }));
  app.route('/api/v1', availabilityRoutes(deps.availability));
  app.route('/api/v1', cartRoutes(deps.carts, deps.config.JWT_SECRET, deps.interest));
  app.route('/api/v1', dropRoutes({ drops: deps.drops, intents: deps.intents, room: deps.waitingRoom, clientKey, recordJoin: deps.metrics.recordJoin }));
  app.route('/api/v1', orderRoutes(deps.orders, deps.checkout));
  app.route('/api/v1', checkoutRoutes(deps.checkouts));
  app.route('/', webRoutes({ storefront: deps.catalog.storefront, drops: deps.drops, zones: config.SHIPPING_ZONES }));

  /** An error as the caller reads it: a page for a browser's page request, problem+json for everything else. */
  const answer = (c: Context<EdgeEnv>, kind: ErrorKind, detail: string, extra: Record<string, unknown> = {}) => {
    if (!isPageRequest(c)) return problem(c, kind, detail, extra);
    const errors = Array.isArray(extra.errors) ? (extra.errors as { field: string; message: string }[]) : [];
    return (async () => c.html(await errorPage(titles[kind], detail, errors), statusOf[kind]))();
  };
  app.notFound((c) => answer(c, 'not_found', isPageRequest(c) ? 'There is no such page.' : `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (isAppError(err)) {
      if (typeof err.details.retry_after === 'number') c.header('Retry-After', String(err.details.retry_after));
      return answer(c, err.kind, err.message, err.details);
    }
    logger.error({ err, request_id: c.get('requestId') }, 'unhandled error');
    return answer(c, 'internal', 'an unexpected error occurred; quote the request id when reporting it');
  });
  return app;
}
