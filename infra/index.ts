export { demoAccounts, seedDemo } from './demo-data.ts';
export { stackUp } from './node-steps.mjs';
export { startStripeLocal, type RunningStripeLocal, type StartOptions } from './stripe-local/server.ts';
