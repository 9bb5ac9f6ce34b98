import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startFulfillment, type Fulfillment } from '../fulfillment/index.ts';
import { startNotifications, type Notifications } from '../notifications/index.ts';
import type { OrderView } from '../orders/index.ts';
import { loadConfig } from '../platform/config.ts';
import { createMailer } from '../platform/mail.ts';
import { createRuntime, type Runtime } from '../platform/runtime.ts';
import { startEngine, type Engine } from './engine.ts';

/** The whole engine with the consumers of its order events: notifications from the start, fulfillment on demand. */
export interface EngineWithConsumers extends Engine {
  /** Where notifications writes its emails (a fresh folder, removed after the tests). */
  mailDir: string;
  /** The file names in the mail folder, sorted. */
  mail(): Promise<string[]>;
  /** An order as its shopper reads it through the public API. */
  orderOf(token: string, orderId: string): Promise<OrderView>;
  /** Starts fulfillment on the engine's order events, at 100,000 times real time and scanning every 100 ms. */
  startFulfillment(): Promise<void>;
}

/**
 * Starts the engine and its notifications consumer before the tests of the file that calls this and closes them,
 * with fulfillment if it was started, after them; `set` receives them once notifications is ready.
 */
export function engineWithConsumersForFile(set: (e: EngineWithConsumers) => void): void {
  let e: Engine | undefined;
  let fast: Runtime | undefined;
  let mailDir: string | undefined;
  let notifications: Notifications | undefined;
  let fulfillment: Fulfillment | undefined;

  beforeAll(async () => {
    const engine = await startEngine();
    e = engine;
    const runtime = createRuntime(loadConfig({ ...process.env, STRIPE_API_BASE: engine.stripe.url, FULFILLMENT_SPEEDUP: '100000' }));
    fast = runtime;
    const dir = await mkdtemp(join(tmpdir(), 'order-mail-'));
    mailDir = dir;
    notifications = await startNotifications(engine.rt, {
      topic: engine.names.topics.orderEvents,
      groupId: `test-notifications-${engine.names.workerGroup}`,
      deadLetterTopic: engine.names.topics.deadLetters,
      mailer: createMailer({ SMTP_URL: undefined, MAIL_DIR: dir }),
    });
    await notifications.ready;
    set({
      ...engine,
      mailDir: dir,
      mail: async () => (await readdir(dir)).sort(),
      orderOf: async (token, orderId) => (await engine.call('GET', `/api/v1/orders/${orderId}`, token)).body as unknown as OrderView,
      async startFulfillment() {
        fulfillment = await startFulfillment(runtime, {
          topic: engine.names.topics.orderEvents,
          groupId: `test-fulfillment-${engine.names.workerGroup}`,
          deadLetterTopic: engine.names.topics.deadLetters,
          scanIntervalMs: 100,
        });
      },
    });
  }, 60_000);
  afterAll(async () => {
    await fulfillment?.closer.close();
    await notifications?.closer.close();
    await fast?.redis.quit();
    await fast?.sql.end();
    await e?.close();
    if (mailDir !== undefined) await rm(mailDir, { recursive: true, force: true });
  });
}
