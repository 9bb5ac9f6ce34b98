import { randomBytes } from 'node:crypto';
import { loadConfig } from '../platform/config.ts';
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
