import type Stripe from 'stripe';
import { stripeFromConfig } from '../checkout/index.ts';
import { randomBytes } from 'node:crypto';
import { createAccountsRepo } from '../edge/accounts/repo.ts';
import { issueToken, type Role } from '../edge/auth/tokens.ts';
import { loadConfig } from '../platform/config.ts';
import { ensureTopics } from '../platform/kafka.ts';
import { createRuntime, type Runtime } from '../platform/runtime.ts';

/** A short random tag that keeps one test's rows, keys and topics apart from every other run. */
export const tag = (): string => randomBytes(5).toString('hex');

/** The real clients against the test database, Redis and Kafka. */
export const testRuntime = (): Runtime => createRuntime(loadConfig());

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A real user of the given role in the test database, with a bearer token for it. */
export async function signedIn(rt: Runtime, role: Role = 'customer'): Promise<{ user_id: string; token: string }> {
  const user_id = await createAccountsRepo(rt.sql).createUser({
    email: `${role}-${tag()}@example.test`,
    name: role,
    password_hash: 'scrypt$unusable',
    role,
  });
  return { user_id, token: await issueToken({ user_id, role }, rt.config.JWT_SECRET, 3_600) };
}

/** Fresh topics for one test file, deleted by `drop()`. */
export async function testTopics(rt: Runtime, partitions = 32) {
  const t = tag();
  const names = { intents: `test-intents-${t}`, decisions: `test-decisions-${t}`, deadLetters: `test-dead-${t}` };
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [
    { name: names.intents, partitions },
    { name: names.decisions, partitions },
    { name: names.deadLetters, partitions: 1 },
  ]);
  return {
    ...names,
    async drop() {
      await admin.deleteTopics({ topics: Object.values(names) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** The real Stripe SDK pointed at a local Stripe-compatible server. */
export const stripeAt = (url: string): Stripe => stripeFromConfig({ STRIPE_API_BASE: url, STRIPE_SECRET_KEY: 'sk_test_local' });
