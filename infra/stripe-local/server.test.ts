import Stripe from 'stripe';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stripeFromConfig } from '../../checkout/index.ts';
import { startStripeLocal, type StartOptions } from './server.ts';

const stripeClientFor = (url: string, key = 'sk_test_local') => stripeFromConfig({ STRIPE_API_BASE: url, STRIPE_SECRET_KEY: key });

/** A fresh server (closed after the test) and the real SDK pointed at it. */
async function start(opts: StartOptions = {}) {
  const local = await startStripeLocal({ port: 0, ...opts });
  onTestFinished(() => local.close());
  return { local, stripe: stripeClientFor(local.url) };
}

/** The error `call` rejects with, checked to be a `type`. */
async function rejection<E extends Error>(
  call: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof type)) throw new Error(`expected ${type.name}, got ${String(err)}`);
  return err;
}

/** `random` that returns `rolls` in order, then 0.99 forever. */
const scripted = (rolls: number[]) => () => rolls.shift() ?? 0.99;

const visa = { amount: 2500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true } as const;

describe('payments', () => {
  it('charges a visa card in one call', async () => {
    const { local, stripe } = await start();
    const pi = await stripe.paymentIntents.create({ ...visa, metadata: { intent_id: 'i-1' } });

    expect(pi).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount: 2500,
      amount_received: 2500,
      currency: 'usd',
      livemode: false,
      metadata: { intent_id: 'i-1' },
    });
    expect(pi.id).toMatch(/^pi_/);
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    expect(pi.latest_charge).toMatch(/^ch_/);
    expect(pi.lastResponse.apiVersion).toBe(Stripe.API_VERSION);
    expect(local.stats()).toMatchObject({
      paymentIntentsCreated: 1,
      paymentIntentsSucceeded: 1,
      cardDeclines: 0,
    });
  });

  it('answers the fields Stripe returns for a create-and-confirm, and expands the charge', async () => {
    const { stripe } = await start();
    const pi = await stripe.paymentIntents.create({ ...visa, payment_method: 'pm_card_mastercard' });
    expect(pi).toMatchObject({
      status: 'succeeded',
      payment_method: 'pm_card_mastercard',
      capture_method: 'automatic_async',
      amount_capturable: 0,
      canceled_at: null,
      cancellation_reason: null,
      last_payment_error: null,
    });
    const expanded = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(expanded.latest_charge).toMatchObject({
      id: pi.latest_charge,
      object: 'charge',
      status: 'succeeded',
      captured: true,
      amount_captured: 2500,
      payment_intent: pi.id,
      payment_method_details: { card: { brand: 'mastercard', last4: '4444' } },
    });
  });

  it('refuses, naming the param, what it cannot finish: unconfirmed, manual capture, no card', async () => {
    const { local, stripe } = await start();
    const { StripeInvalidRequestError } = Stripe.errors;
    const unconfirmed = { amount: 2500, currency: 'usd', payment_method: 'pm_card_visa' };
    for (const params of [unconfirmed, { ...visa, confirm: false }]) {
      const err = await rejection(stripe.paymentIntents.create(params), StripeInvalidRequestError);
      expect(err).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'confirm' });
      expect(err.message).toMatch(/only with confirm=true/);
    }
    const manual = await rejection(
      stripe.paymentIntents.create({ ...visa, capture_method: 'manual' }),
      StripeInvalidRequestError,
    );
    expect(manual).toMatchObject({ statusCode: 400, param: 'capture_method' });
    expect(manual.message).toMatch(/only automatic capture/);
    const cardless = { amount: 2500, currency: 'usd', confirm: true };
    const noCard = await rejection(stripe.paymentIntents.create(cardless), StripeInvalidRequestError);
    expect(noCard).toMatchObject({ statusCode: 400, param: 'payment_method' });

    const automatic = await stripe.paymentIntents.create({ ...visa, capture_method: 'automatic' });
    expect(automatic).toMatchObject({ status: 'succeeded', capture_method: 'automatic' });
    expect(local.stats()).toMatchObject({ paymentIntentsCreated: 1, paymentIntentsSucceeded: 1 });
  });

  it('declines with StripeCardError (decline_code, PaymentIntent), then accepts another card', async () => {
    const { local, stripe } = await start();
    const generic = await rejection(
      stripe.paymentIntents.create({ ...visa, payment_method: 'pm_card_chargeDeclined' }),
      Stripe.errors.StripeCardError,
    );
    expect(generic).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    expect(generic.payment_intent?.status).toBe('requires_payment_method');
    expect(generic.payment_intent?.last_payment_error?.decline_code).toBe('generic_decline');

    const poor = await rejection(
      stripe.paymentIntents.create({ ...visa, payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }),
      Stripe.errors.StripeCardError,
    );
    expect(poor.decline_code).toBe('insufficient_funds');

    const retried = await stripe.paymentIntents.create(visa);
    expect(retried.status).toBe('succeeded');
    const declined = await stripe.paymentIntents.retrieve(generic.payment_intent?.id ?? '');
    expect(declined).toMatchObject({ status: 'requires_payment_method', payment_method: null });
    expect(local.stats()).toMatchObject({
      paymentIntentsCreated: 3,
      cardDeclines: 2,
      paymentIntentsSucceeded: 1,
    });
  });

  it('rejects an unknown payment method without creating anything', async () => {
    const { local, stripe } = await start();
    const err = await rejection(
      stripe.paymentIntents.create({ ...visa, payment_method: 'card_123' }),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(err).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_method' });
    expect(local.stats().paymentIntentsCreated).toBe(0);
  });

  it('rejects bad parameters with StripeInvalidRequestError naming the param', async () => {
    const { local, stripe } = await start();
    for (const amount of [0, -5, 10.5]) {
      const err = await rejection(
        stripe.paymentIntents.create({ ...visa, amount }),
        Stripe.errors.StripeInvalidRequestError,
      );
      expect(err).toMatchObject({ statusCode: 400, param: 'amount' });
    }
    const missing = await rejection(
      stripe.paymentIntents.create({ amount: 100 } as Stripe.PaymentIntentCreateParams),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(missing).toMatchObject({ param: 'currency', message: 'Missing required param: currency.' });
    expect(local.stats().paymentIntentsCreated).toBe(0);
  });
});

describe('idempotency', () => {
  it('replays the first answer for a repeated key and refuses the key with other params', async () => {
    const { local, stripe } = await start();
    const first = await stripe.paymentIntents.create(visa, { idempotencyKey: 'order-42' });
    const again = await stripe.paymentIntents.create(visa, { idempotencyKey: 'order-42' });

    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again.lastResponse.idempotencyKey).toBe('order-42');
    expect(local.stats()).toMatchObject({ paymentIntentsCreated: 1, idempotentReplays: 1 });

    await rejection(
      stripe.paymentIntents.create({ ...visa, amount: 2600 }, { idempotencyKey: 'order-42' }),
      Stripe.errors.StripeIdempotencyError,
    );
    expect(local.stats().paymentIntentsCreated).toBe(1);
  });

  it('replays a decline too, with the same status and body', async () => {
    const { local, stripe } = await start();
    const declined = { ...visa, payment_method: 'pm_card_visa_chargeDeclined' };
    const first = await rejection(
      stripe.paymentIntents.create(declined, { idempotencyKey: 'd-1' }),
      Stripe.errors.StripeCardError,
    );
    const again = await rejection(
      stripe.paymentIntents.create(declined, { idempotencyKey: 'd-1' }),
      Stripe.errors.StripeCardError,
    );
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(again).toMatchObject({ statusCode: 402, message: first.message, charge: first.charge });
    expect(again.payment_intent).toEqual(first.payment_intent);
    expect(local.stats()).toMatchObject({ paymentIntentsCreated: 1, cardDeclines: 1 });
  });

  it('scopes keys by secret key', async () => {
    const { local, stripe } = await start();
    const other = stripeClientFor(local.url, 'sk_test_other');
    const mine = await stripe.paymentIntents.create(visa, { idempotencyKey: 'shared' });
    const theirs = await other.paymentIntents.create(visa, { idempotencyKey: 'shared' });
    expect(theirs.id).not.toBe(mine.id);
    expect(local.stats().paymentIntentsCreated).toBe(2);
  });

  it('executes 20 concurrent creates with one key exactly once', async () => {
    const { local, stripe } = await start({ latencyMs: 10 });
    const all = await Promise.all(
      Array.from({ length: 20 }, () => stripe.paymentIntents.create(visa, { idempotencyKey: 'burst' })),
    );
    expect(new Set(all.map((pi) => pi.id)).size).toBe(1);
    expect(local.stats()).toMatchObject({
      paymentIntentsCreated: 1,
      paymentIntentsSucceeded: 1,
      idempotentReplays: 19,
    });
  });
});

describe('refunds', () => {
  it('refunds partially, rejects over-refunds, then refunds the rest', async () => {
    const { local, stripe } = await start();
    const pi = await stripe.paymentIntents.create({ ...visa, amount: 1000 });

    const partial = await stripe.refunds.create({ payment_intent: pi.id, amount: 300 });
    expect(partial).toMatchObject({
      object: 'refund',
      status: 'succeeded',
      amount: 300,
      payment_intent: pi.id,
    });
    expect(partial.id).toMatch(/^re_/);
    expect(partial.charge).toBe(pi.latest_charge);
    const charged = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(charged.latest_charge).toMatchObject({ amount_refunded: 300, refunded: false });

    const over = await rejection(
      stripe.refunds.create({ payment_intent: pi.id, amount: 800 }),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(over).toMatchObject({ statusCode: 400, param: 'amount' });

    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(700);
    const expanded = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(expanded.latest_charge).toMatchObject({ object: 'charge', amount_refunded: 1000, refunded: true });

    const twice = await rejection(
      stripe.refunds.create({ payment_intent: pi.id }),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(twice.code).toBe('charge_already_refunded');
    expect(local.stats().refunds).toBe(2);
  });

  it('refuses to refund a declined intent', async () => {
    const { local, stripe } = await start();
    const declined = await rejection(
      stripe.paymentIntents.create({ ...visa, payment_method: 'pm_card_chargeDeclined' }),
      Stripe.errors.StripeCardError,
    );
    const err = await rejection(
      stripe.refunds.create({ payment_intent: declined.payment_intent?.id ?? '' }),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(err).toMatchObject({ statusCode: 400, param: 'payment_intent' });
    expect(local.stats().refunds).toBe(0);
  });
});

describe('reads', () => {
  it('retrieves, lists newest first and searches by metadata', async () => {
    const { stripe } = await start();
    const a = await stripe.paymentIntents.create({ ...visa, metadata: { intent_id: 'A' } });
    const b = await stripe.paymentIntents.create({ ...visa, metadata: { intent_id: 'B' } });
    const c = await stripe.paymentIntents.create({ ...visa, metadata: { intent_id: 'A' } });

    const retrieved = await stripe.paymentIntents.retrieve(b.id);
    expect(retrieved).toMatchObject({ id: b.id, metadata: { intent_id: 'B' } });

    const found = await stripe.paymentIntents.search({ query: "metadata['intent_id']:'A'" });
    expect(found.object).toBe('search_result');
    expect(found.data.map((pi) => pi.id)).toEqual([c.id, a.id]);

    const page = await stripe.paymentIntents.list({ limit: 2 });
    expect(page.data.map((pi) => pi.id)).toEqual([c.id, b.id]);
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const pi of stripe.paymentIntents.list({ limit: 1 })) all.push(pi.id);
    expect(all).toEqual([c.id, b.id, a.id]);
  });

  it('answers 404 resource_missing for unknown ids and unknown routes', async () => {
    const { stripe } = await start();
    const { StripeInvalidRequestError } = Stripe.errors;
    const missing = await rejection(stripe.paymentIntents.retrieve('pi_nope'), StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const route = await rejection(stripe.rawRequest('GET', '/v1/nope'), StripeInvalidRequestError);
    expect(route.statusCode).toBe(404);

    // Stripe endpoints the platform does not call are not served.
    const pi = await stripe.paymentIntents.create(visa);
    for (const [method, path] of [
      ['POST', `/v1/payment_intents/${pi.id}/confirm`],
      ['POST', `/v1/payment_intents/${pi.id}/capture`],
      ['POST', `/v1/payment_intents/${pi.id}/cancel`],
      ['GET', `/v1/charges/${pi.latest_charge as string}`],
      ['GET', '/v1/refunds/re_123'],
    ] as const) {
      const err = await rejection(stripe.rawRequest(method, path, {}), StripeInvalidRequestError);
      expect(err.statusCode).toBe(404);
      expect(err.message).toMatch(/^Unrecognized request URL/);
    }
  });

  it('refuses requests without a test secret key', async () => {
    const { local } = await start();
    const live = stripeClientFor(local.url, 'sk_live_nope');
    const err = await rejection(live.paymentIntents.list(), Stripe.errors.StripeAuthenticationError);
    expect(err.statusCode).toBe(401);
  });
});

describe('failure injection', () => {
  it('fails every attempt at failureRate=1: the SDK retries twice, then throws StripeAPIError', async () => {
    const { local, stripe } = await start({ failureRate: 1 });
    await rejection(stripe.paymentIntents.create(visa), Stripe.errors.StripeAPIError);
    expect(local.stats()).toMatchObject({ requests: 3, injectedFailures: 3, paymentIntentsCreated: 0 });
  });

  it('lets the SDK retry past a failed first attempt with the same idempotency key', async () => {
    const { local, stripe } = await start({ failureRate: 0.5, random: scripted([0]) });
    const pi = await stripe.paymentIntents.create(visa);

    expect(pi.status).toBe('succeeded');
    expect(pi.lastResponse.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(local.stats()).toMatchObject({ requests: 2, injectedFailures: 1, paymentIntentsCreated: 1 });
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
  });
});
