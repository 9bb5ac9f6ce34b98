import { Agent, request } from 'node:http';
import { afterAll, beforeAll, vi } from 'vitest';
import { auditDrop, pgProgress, type AuditReport } from '../audit/index.ts';
import { startStripeLocal, type RunningStripeLocal } from '../infra/stripe-local/server.ts';
import { startEdge, type EdgeServer } from '../edge/server.ts';
import { issueToken } from '../edge/auth/tokens.ts';
import { startOrderWorker, type OrderWorker } from '../order-worker/index.ts';
import { loadConfig } from '../platform/config.ts';
import { ensureTopics } from '../platform/kafka.ts';
import { createRuntime, type Runtime } from '../platform/runtime.ts';
import { closeAll, type Closer } from '../platform/shutdown.ts';
import { createSequencer } from '../sequencer/index.ts';
import { dropKeys } from '../contracts/index.ts';
import { stripeAt, tag } from './helpers.ts';

/** Names of one engine's topics and consumer groups, unique to the test that starts it. */
export function engineNames() {
  const t = tag();
  return {
    topics: {
      intents: `test-intents-${t}`,
      decisions: `test-decisions-${t}`,
      orderEvents: `test-order-events-${t}`,
      deadLetters: `test-dead-${t}`,
    },
    sequencerGroup: `test-sequencer-${t}`,
    workerGroup: `test-order-worker-${t}`,
  };
}
export type EngineNames = ReturnType<typeof engineNames>;

/** Worker settings for tests: fast loops, this test's topics. */
export const workerOptions = (n: EngineNames) => ({
  topics: n.topics,
  groupId: n.workerGroup,
  intervals: { expiryMs: 200, recoveryMs: 1_000, settlementMs: 300, outboxMs: 200 },
  consumer: { sessionTimeout: 6_000, heartbeatInterval: 500 },
});

export const sequencerOptions = (rt: Runtime, n: EngineNames) => ({
  kafka: rt.kafka,
  redis: rt.redis,
  logger: rt.logger,
  topics: { intents: n.topics.intents, decisions: n.topics.decisions, deadLetters: n.topics.deadLetters },
  groupId: n.sequencerGroup,
  consumer: { sessionTimeout: 6_000, heartbeatInterval: 500 },
});

/** A JSON answer; fields are read loosely since each test knows what it asked. */
export interface Reply {
  status: number;
  body: Record<string, unknown> & { intent_id?: string; ws_url?: string; order_id?: string; status?: string; reason?: string };
}

export interface Engine {
  rt: Runtime;
  names: EngineNames;
  stripe: RunningStripeLocal;
  edge: EdgeServer;
  /** POST or GET through a real socket (a pooled keep-alive agent), JSON in and out. */
  call(method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  tokenFor(userId: string): Promise<string>;
  audit(dropId: string): Promise<AuditReport>;
  close(): Promise<void>;
}

/**
 * The whole drop engine on real services for one test: its own topics, a local Stripe-compatible
 * server, and an edge on a free port; the sequencer and the order worker run in-process unless
 * `inProcess` is false (a test that kills them runs them as child processes instead).
 */
export async function startEngine(o: { inProcess?: boolean; paymentLatencyMs?: number } = {}): Promise<Engine> {
  const stripe = await startStripeLocal({ port: 0, latencyMs: o.paymentLatencyMs ?? 0 });
  const rt = createRuntime(
    loadConfig({ ...process.env, STRIPE_API_BASE: stripe.url, JOIN_LIMIT_PER_IP: '1000000', JOIN_LIMIT_PER_USER: '1000' }),
  );
  const names = engineNames();
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [
    { name: names.topics.intents, partitions: 32 },
    { name: names.topics.decisions, partitions: 32 },
    { name: names.topics.orderEvents, partitions: 1 },
    { name: names.topics.deadLetters, partitions: 1 },
  ]);
  const closers: Closer[] = [];
  let worker: OrderWorker | undefined;
  if (o.inProcess !== false) {
    const sequencer = createSequencer(sequencerOptions(rt, names));
    await sequencer.start();
    worker = await startOrderWorker(rt, { ...workerOptions(names), stripe: stripeAt(stripe.url) });
    closers.push({ name: 'sequencer', close: () => sequencer.stop() }, worker.closer);
  }
  const edge = await startEdge(rt, {
    port: 0,
    waitingRoomPort: 0,
    intentsTopic: names.topics.intents,
    decisionsTopic: names.topics.decisions,
    orderEventsTopic: names.topics.orderEvents,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const { port } = new URL(edge.url);

  return {
    rt,
    names,
    stripe,
    edge,
    call(method, path, token, body, headers = {}) {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            agent,
            host: '127.0.0.1',
            port,
            method,
            path,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body: (text === '' ? {} : JSON.parse(text)) as Reply['body'] }));
          },
        );
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    },
    tokenFor: (userId) => issueToken({ user_id: userId, role: 'customer' }, rt.config.JWT_SECRET, 3_600),
    audit: (dropId) =>
      auditDrop({
        sql: rt.sql,
        redis: rt.redis,
        kafka: rt.kafka,
        decisionsTopic: names.topics.decisions,
        deadLettersTopic: names.topics.deadLetters,
        dropId,
        stripe: stripeAt(stripe.url),
      }),
    async close() {
      agent.destroy();
      await closeAll([...edge.closers, ...closers], rt.logger, 10_000);
      await admin.deleteTopics({ topics: Object.values(names.topics) }).catch(() => undefined);
      await admin.disconnect();
      await stripe.close();
      await rt.redis.quit();
      await rt.sql.end();
    },
  };
}

/**
 * Starts an engine (`startEngine` with `o`) before the tests of the file that calls this and closes it after them;
 * `set` receives the engine once it has started.
 */
export function engineForFile(set: (e: Engine) => void, o?: Parameters<typeof startEngine>[0]): void {
  let engine: Engine | undefined;
  beforeAll(async () => {
    engine = await startEngine(o);
    set(engine);
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });
}

/**
 * Waits until the drop has settled in Redis and PostgreSQL has caught up (every intent final, no
 * order pending), then returns the audit. After the time-out it audits whatever state there is.
 */
export async function settledAudit(engine: Engine, dropId: string, timeoutMs = 60_000): Promise<AuditReport> {
  const { rt } = engine;
  const k = dropKeys(dropId);
  await vi
    .waitFor(
      async () => {
        const [state, users] = await Promise.all([rt.redis.hgetall(k.state), rt.redis.hlen(k.users)]);
        const settled = state.held === '0' && (state.stock === '0' || state.status === 'ended');
        const pg = await pgProgress(rt.sql, dropId);
        if (!settled || pg.final !== users || pg.pending !== 0) throw new Error('not settled yet');
      },
      { timeout: timeoutMs, interval: 250 },
    )
    .catch(() => undefined); // the audit of whatever state there is says what is wrong
  return engine.audit(dropId);
}
