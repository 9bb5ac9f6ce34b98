import Stripe from 'stripe';

/**
 * The real Stripe SDK pointed at a stripe-local server (`http://host:port`), with 2 network retries. The SDK
 * sends an Idempotency-Key on every POST and reuses it on retries, so retried writes are never applied twice.
 */
export function stripeClientFor(url: string, secretKey = 'sk_test_local'): Stripe {
  const { protocol, hostname, port } = new URL(url);
  if (protocol !== 'http:') throw new Error(`stripe-local serves plain http, got ${url}`);
  return new Stripe(secretKey, { host: hostname, port: port || 80, protocol: 'http', maxNetworkRetries: 2 });
}
