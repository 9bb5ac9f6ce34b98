import Stripe from 'stripe';
import type { Config } from '../platform/index.ts';

/**
 * The Stripe SDK as configured: at STRIPE_API_BASE when set (the local Stripe-compatible server, or any other
 * endpoint speaking Stripe's API), else at Stripe itself; 2 network retries. The SDK sends an Idempotency-Key on
 * every POST and reuses it on retries, so a retried write is never applied twice.
 */
export function stripeFromConfig(config: Pick<Config, 'STRIPE_API_BASE' | 'STRIPE_SECRET_KEY'>): Stripe {
  if (config.STRIPE_API_BASE === '') return new Stripe(config.STRIPE_SECRET_KEY, { maxNetworkRetries: 2 });
  const { protocol, hostname, port } = new URL(config.STRIPE_API_BASE);
  const tls = protocol === 'https:';
  return new Stripe(config.STRIPE_SECRET_KEY, {
    host: hostname,
    port: port || (tls ? 443 : 80),
    protocol: tls ? 'https' : 'http',
    maxNetworkRetries: 2,
  });
}
