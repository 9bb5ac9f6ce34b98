import Stripe from 'stripe';
import { stripeClientFor } from '../infra/stripe-local/client.ts';
import type { Config } from '../platform/config.ts';

/** The Stripe SDK as configured: pointed at STRIPE_API_BASE (stripe-local) when set, else at Stripe itself. */
export function stripeFromConfig(config: Pick<Config, 'STRIPE_API_BASE' | 'STRIPE_SECRET_KEY'>): Stripe {
  return config.STRIPE_API_BASE !== ''
    ? stripeClientFor(config.STRIPE_API_BASE, config.STRIPE_SECRET_KEY)
    : new Stripe(config.STRIPE_SECRET_KEY, { maxNetworkRetries: 2 });
}
