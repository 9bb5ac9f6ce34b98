import {
  createCommandProducer,
  createDropCache,
  createDropEvents,
  createDrops,
  createIntents,
  readDropFigures,
  type DropFigures,
} from '../admission/index.ts';
import { createInterestCounter, createReports, interestKey } from '../analytics/index.ts';
import { auditAndKeep, lastAudit } from '../audit/index.ts';
import { createCarts } from '../cart/index.ts';
import { createCatalog } from '../catalog/index.ts';
import { topics } from '../contracts/index.ts';
import type Stripe from 'stripe';
import { connectCartCheckout, createAvailability, createDropCheckout, stripeFromConfig, type HeldCheckout } from '../checkout/index.ts';
import { createShipments } from '../fulfillment/index.ts';
import { createOrders } from '../orders/index.ts';
import { nextOffset, reliableProducer, type Runtime } from '../platform/index.ts';

export interface EdgeServiceOptions {
  /**
   * The topics joins, releases and order events go to, and decisions and dead letters come from (for the drops'
   * audits); default contracts/topics.ts.
   */
  intentsTopic?: string;
  decisionsTopic?: string;
  deadLettersTopic?: string;
  orderEventsTopic?: string;
  /** The held-intent checkout of an order worker in the same process; without one the edge makes its own. */
  checkout?: HeldCheckout;
  /** Payments of the checkouts the edge runs; default from config (STRIPE_API_BASE, STRIPE_SECRET_KEY). */
  stripe?: Stripe;
}

/** The admission services an edge runs on: one idempotent producer, one event subscription, one drop cache. */
export async function createEdgeServices(rt: Runtime, o: EdgeServiceOptions = {}) {
  const topic = o.intentsTopic ?? topics.dropIntents.name;
  const producer = reliableProducer(rt.kafka);
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
    },
  });
  const ownCheckout =
    o.checkout === undefined
      ? await createDropCheckout(rt, { intentsTopic: topic, orderEventsTopic: o.orderEventsTopic, stripe: o.stripe })
      : undefined;
  const catalog = await createCatalog(rt);
  const carts = createCarts({
    sql: rt.sql,
    redis: rt.redis,
    products: catalog.storefront,
    logger: rt.logger.child({ component: 'cart' }),
    config: rt.config,
  });
  const cartCheckout = connectCartCheckout(rt, {
    stripe: o.stripe,
    logger: rt.logger.child({ component: 'cart-checkout' }),
    orderEventsTopic: o.orderEventsTopic,
    bookkeepingMax: 2,
  });
  const decisionsTopic = o.decisionsTopic ?? topics.dropDecisions.name;
  const deadLettersTopic = o.deadLettersTopic ?? topics.deadLetters.name;
  const stripe = o.stripe ?? stripeFromConfig(rt.config);
  /** Each upcoming or open drop's live figures; a drop Redis does not know is left out. */
  const openDropFigures = async (): Promise<DropFigures[]> => {
    const figures = await Promise.all((await drops.list()).map((d) => readDropFigures(rt.redis, d.drop_id)));
    return figures.filter((f) => f !== null);
  };
  return {
    commands,
    drops,
    openDropFigures,
    figures: (dropId: string) => readDropFigures(rt.redis, dropId),
    audits: {
      run: (dropId: string) =>
        auditAndKeep({ sql: rt.sql, redis: rt.redis, kafka: rt.kafka, decisionsTopic, deadLettersTopic, dropId, stripe }),
      last: (dropId: string) => lastAudit(rt.redis, dropId),
    },
    intents,
    orders: createOrders({
      sql: rt.sql,
      stripe,
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
    checkouts: cartCheckout.checkout,
    availability: createAvailability({ pages: (id) => catalog.storefront.page(id), tables: rt.config, clock: Date.now }),
    async close() {
      await cartCheckout.close();
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
