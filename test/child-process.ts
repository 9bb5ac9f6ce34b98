import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** The file URL of a module of the repository, for code a child process imports. */
export const repoUrl = (file: string): string => pathToFileURL(resolve(root, file)).href;

/**
 * Starts a file of the tests (test/engine-child.ts, test/consumer-child.ts) as a real child process, with `env` over
 * this process's environment and LOG_LEVEL error. It is in `running` until it exits. Resolves once it prints
 * `ready`; rejects, naming it `name`, if it exits first.
 */
export async function startReadyChild(file: string, name: string, env: Record<string, string>, running: Set<ChildProcess>): Promise<ChildProcess> {
  const p = spawn(process.execPath, [file], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(p);
  p.on('exit', () => running.delete(p));
  await new Promise<void>((resolve, reject) => {
    p.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    p.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return p;
}

/**
 * Runs `code` (an ES module) in a child process where `o` is `input` (as JSON) and `stripe` is a client of the local
 * Stripe-compatible server at `input.stripeUrl` that kills its process (SIGKILL, no clean-up at all) the moment a
 * charge has succeeded at Stripe. `code` brings its own imports (a module's imports load before any of its code runs).
 * Waits for the child's death and expects it killed so, with nothing on stderr.
 */
export async function runUntilCharged(code: string, input: { stripeUrl: string; [key: string]: unknown }): Promise<void> {
  const script = `
  import { stripeAt } from ${JSON.stringify(repoUrl('test/helpers.ts'))};
  const o = JSON.parse(process.env.CRASH_TEST);
  const stripe = stripeAt(o.stripeUrl);
  const create = stripe.paymentIntents.create.bind(stripe.paymentIntents);
  stripe.paymentIntents.create = async (...args) => {
    const pi = await create(...args);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {});
    return pi;
  };
  ${code}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, CRASH_TEST: JSON.stringify(input) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [exitCode, signal] = (await once(child, 'exit')) as [number | null, string | null];
  expect({ code: exitCode, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
}
