import {
  createCommandProducer,
  createDropCache,
  createDropEvents,
  createDrops,
  createIntents,
} from '../admission/index.ts';
import { createInterestCounter, createReports, interestKey } from '../analytics/index.ts';
import { createCarts } from '../cart/index.ts';
import { createCatalog } from '../catalog/index.ts';
import { topics } from '../contracts/index.ts';
import { createDropCheckout, stripeFromConfig, type HeldCheckout } from '../checkout/index.ts';
import { createShipments } from '../fulfillment/index.ts';
import { createOrders } from '../orders/index.ts';
import { nextOffset, type Runtime } from '../platform/index.ts';

export interface EdgeServiceOptions {
  /** The topics joins, releases and order events go to; default contracts/topics.ts. */
  intentsTopic?: string;
  orderEventsTopic?: string;
  /** The held-intent checkout of an order worker in the same process; without one the edge makes its own. */
  checkout?: HeldCheckout;
}

/** The admission services an edge runs on: one idempotent producer, one event subscription, one drop cache. */
export async function createEdgeServices(rt: Runtime, o: EdgeServiceOptions = {}) {
  const topic = o.intentsTopic ?? topics.dropIntents.name;
  const producer = rt.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const admin = rt.kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const commands = createCommandProducer({
    producer,
    topic,
    lingerMs: rt.config.PRODUCE_LINGER_MS,
  });
  const events = createDropEvents(rt.redis.duplicate(), rt.logger);
  // Joins: the commands of all the requests of one turn of the event loop go to Redis in one write (a crowd's
  // admissions were a write and a read each).
  const hot = rt.redis.duplicate({ enableAutoPipelining: true });
  const cache = createDropCache(hot, events);
  const drops = createDrops({ sql: rt.sql, redis: rt.redis, commands, nextOffset: (p) => nextOffset(admin, topic, p) });
  const intents = createIntents({
    sql: rt.sql,
    redis: hot,
    commands,
    cache,
    options: {
      ticketSecret: rt.config.TICKET_SECRET,
      perUserLimit: rt.config.JOIN_LIMIT_PER_USER,
      perIpLimit: rt.config.JOIN_LIMIT_PER_IP,
      windowMs: rt.config.JOIN_LIMIT_WINDOW_MS,
      ticketTtlMs: 6 * 3_600_000,
    },
  });
  const ownCheckout =
    o.checkout === undefined ? await createDropCheckout(rt, { intentsTopic: topic, orderEventsTopic: o.orderEventsTopic }) : undefined;
  const catalog = await createCatalog(rt);
  const carts = createCarts({
    sql: rt.sql,
    redis: rt.redis,
    products: catalog.storefront,
    logger: rt.logger.child({ component: 'cart' }),
    config: rt.config,
  });
  return {
    commands,
    drops,
    intents,
    orders: createOrders({
      sql: rt.sql,
      stripe: stripeFromConfig(rt.config),
      logger: rt.logger.child({ component: 'orders' }),
      returnWindowDays: rt.config.RETURN_WINDOW_DAYS,
      orderEventsTopic: o.orderEventsTopic,
    }),
    interest: createInterestCounter(hot, interestKey(rt.config.DATABASE_URL), rt.logger.child({ component: 'analytics' })),
    reports: createReports(rt.sql),
    shipments: createShipments({
      sql: rt.sql,
      topic: o.orderEventsTopic ?? topics.orderEvents.name,
      speedup: rt.config.FULFILLMENT_SPEEDUP,
    }),
    checkout: o.checkout ?? ownCheckout!.checkoutHeldIntent,
    catalog,
    carts,
    async close() {
      await catalog.close();
      await ownCheckout?.closer.close();
      await commands.flush();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      cache.close();
      await events.close();
      await hot.quit();
    },
  };
}

export type EdgeServices = Awaited<ReturnType<typeof createEdgeServices>>;
