import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import {
  apiError,
  idempotencyMismatch,
  invalidRequest,
  unauthorized,
  unrecognizedUrl,
  type Reply,
} from './errors.ts';
import { canonicalJson, parseForm } from './form.ts';
import { createIdempotencyStore, fingerprint } from './idempotency.ts';
import { randomToken } from './objects.ts';
import * as P from './params.ts';
import { createState, type Counts } from './state.ts';

export interface StripeLocalOptions {
  /** Added before every response, in milliseconds. Default 0. */
  latencyMs?: number;
  /** Share (0..1) of requests answered 500 api_error before anything else happens. Default 0. */
  failureRate?: number;
  /** Source of the failure draws (one per request while failureRate > 0). Default Math.random. */
  random?: () => number;
}

/** Business counts plus traffic: every request seen, those failed on purpose, and idempotent replays. */
export interface StripeLocalStats extends Counts {
  requests: number;
  injectedFailures: number;
  idempotentReplays: number;
}

export interface StartOptions extends StripeLocalOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface RunningStripeLocal {
  /** Base URL such as `http://127.0.0.1:12111`; point STRIPE_API_BASE at it. */
  url: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
  /** Counts so far, for tests and benchmarks. */
  stats(): StripeLocalStats;
}

/** A response body frozen at the time it was produced, so an idempotent replay is byte-identical. */
interface Sent {
  status: number;
  body: string;
}

const sent = (reply: Reply): Sent => ({ status: reply.status, body: JSON.stringify(reply.body) });

const NO_KEY =
  'You did not provide an API key. You need to provide your API key in the Authorization header, ' +
  "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";

/** The key from `Authorization: Bearer <key>`, if the header has that form. */
const bearerKey = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

/** The 401 to answer unless `Authorization` carries a test-mode secret key (`sk_test_...`). */
function authFailure(header: string | undefined): Reply | undefined {
  const key = bearerKey(header);
  if (key === undefined) return unauthorized(NO_KEY);
  if (!key.startsWith('sk_test_')) {
    return unauthorized('Invalid API Key provided: stripe-local accepts only sk_test_ keys.');
  }
  return undefined;
}

/** Writes `s` with Stripe's headers: a Request-Id, plus the request's Stripe-Version and Idempotency-Key. */
function respond(c: Context, s: Sent, extra: Record<string, string> = {}): Response {
  const headers = new Headers({
    'Content-Type': 'application/json',
    'Request-Id': `req_${randomToken(14)}`,
    ...extra,
  });
  for (const name of ['Stripe-Version', 'Idempotency-Key']) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  return new Response(s.body, { status: s.status, headers });
}

function assemble({ latencyMs = 0, failureRate = 0, random = Math.random }: StripeLocalOptions) {
  if (!(latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${latencyMs}`);
  if (!(failureRate >= 0 && failureRate <= 1)) {
    throw new RangeError(`failureRate must be in 0..1, got ${failureRate}`);
  }
  const state = createState();
  const idempotency = createIdempotencyStore<Sent>();
  const traffic = { requests: 0, injectedFailures: 0, idempotentReplays: 0 };
  const app = new Hono();

  app.use(async (c, next) => {
    traffic.requests++;
    if (latencyMs > 0) await delay(latencyMs);
    if (failureRate > 0 && random() < failureRate) {
      traffic.injectedFailures++;
      return respond(c, sent(apiError('Injected failure (stripe-local failureRate).')), {
        'Stripe-Should-Retry': 'true',
      });
    }
    const refused = authFailure(c.req.header('Authorization'));
    if (refused) return respond(c, sent(refused));
    await next();
  });

  /**
   * Registers an endpoint: parameters come from the query (GET) or form body (POST) and are validated first;
   * a validation failure is answered without touching the idempotency store, so (as at Stripe) it is not
   * remembered. A POST with an Idempotency-Key then runs through the store, scoped by secret key.
   */
  const route = <S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    run: (params: z.output<S>, id: string) => Reply,
  ) =>
    app.on(method, path, async (c) => {
      const form = parseForm(method === 'POST' ? await c.req.text() : new URL(c.req.url).search.slice(1));
      if (!form.ok) return respond(c, sent(invalidRequest(form.message, form.param)));
      const params = P.validate(schema, form.value);
      if (!params.ok) return respond(c, sent(params.reply));
      const execute = () => sent(run(params.value, c.req.param('id') ?? ''));
      const key = c.req.header('Idempotency-Key');
      if (method === 'GET' || key === undefined) return respond(c, execute());
      const scoped = `${bearerKey(c.req.header('Authorization')) ?? ''}\n${key}`;
      const identity = fingerprint(method, c.req.path, canonicalJson(form.value));
      const outcome = await idempotency.run(scoped, identity, execute);
      switch (outcome.kind) {
        case 'executed':
          return respond(c, outcome.value);
        case 'replayed':
          traffic.idempotentReplays++;
          return respond(c, outcome.value, { 'Idempotent-Replayed': 'true' });
        case 'mismatch':
          return respond(c, sent(idempotencyMismatch(key)));
      }
    });

  // Static paths before `:id` so /search is not taken for an id.
  route('GET', '/v1/payment_intents/search', P.searchParams, (p) => state.searchPaymentIntents(p));
  route('GET', '/v1/payment_intents', P.listParams, (p) => state.listPaymentIntents(p));
  route('POST', '/v1/payment_intents', P.createPaymentIntentParams, (p) => state.createPaymentIntent(p));
  route('GET', '/v1/payment_intents/:id', P.retrievePaymentIntentParams, (p, id) =>
    state.retrievePaymentIntent(id, p),
  );
  route('POST', '/v1/refunds', P.createRefundParams, (p) => state.createRefund(p));

  app.notFound((c) => respond(c, sent(unrecognizedUrl(c.req.method, c.req.path))));
  app.onError((err, c) =>
    respond(c, sent(apiError(`stripe-local internal error: ${err.message}`)), {
      'Stripe-Should-Retry': 'false',
    }),
  );

  return { app, stats: (): StripeLocalStats => ({ ...state.counts(), ...traffic }) };
}

/**
 * A Stripe-compatible API that the real `stripe` SDK can talk to, over in-memory state of its own. It serves
 * what the platform calls, and nothing more:
 * - POST /v1/payment_intents: create and confirm in one call (`confirm=true`, a `payment_method`, automatic
 *   capture), answering the paid intent or a 402 card_error with the declined one; `confirm=false` or
 *   `capture_method=manual` is refused with invalid_request_error naming the parameter;
 * - GET /v1/payment_intents/:id (`expand[]=latest_charge` gives the charge), GET /v1/payment_intents (list),
 *   GET /v1/payment_intents/search (`metadata['key']:'value'` only);
 * - POST /v1/refunds for a paid PaymentIntent.
 *
 * Every request needs `Authorization: Bearer sk_test_...`; POSTs honour Idempotency-Key per secret key;
 * unknown routes (including Stripe's /confirm, /capture, /cancel, GET /v1/refunds/:id and /v1/charges/:id,
 * which are not served) answer 404 invalid_request_error.
 */
export function createStripeLocal(opts: StripeLocalOptions = {}): Hono {
  return assemble(opts).app;
}

/** Serves a fresh {@link createStripeLocal} app over HTTP; resolves once it is listening. */
export async function startStripeLocal(opts: StartOptions = {}): Promise<RunningStripeLocal> {
  const { app, stats } = assemble(opts);
  const listener = getRequestListener(app.fetch);
  const server = createServer((req, res) => void listener(req, res));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${reachable}:${port}`,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
