import { z } from 'zod';
import { parseEnv, startOrExit } from '../../platform/index.ts';
import { startStripeLocal } from './server.ts';

// Runs stripe-local standalone. Environment (defaults): STRIPE_LOCAL_HOST (127.0.0.1), STRIPE_LOCAL_PORT (12111),
// STRIPE_LOCAL_LATENCY_MS (0), STRIPE_LOCAL_FAILURE_RATE (0); bad values are listed alone, with exit code 1.
// Prints its URL once listening; exits 0 after closing on SIGTERM or SIGINT.

const schema = z.object({
  STRIPE_LOCAL_HOST: z.string().min(1).default('127.0.0.1'),
  STRIPE_LOCAL_PORT: z.coerce.number().int().min(0).max(65535).default(12111),
  STRIPE_LOCAL_LATENCY_MS: z.coerce.number().min(0).default(0),
  STRIPE_LOCAL_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
});
const env = await startOrExit(() => parseEnv(schema, process.env));

const running = await startStripeLocal({
  host: env.STRIPE_LOCAL_HOST,
  port: env.STRIPE_LOCAL_PORT,
  latencyMs: env.STRIPE_LOCAL_LATENCY_MS,
  failureRate: env.STRIPE_LOCAL_FAILURE_RATE,
});
console.log(`stripe-local listening on ${running.url}`);

const stop = () => {
  void running.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
