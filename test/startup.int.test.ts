import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../contracts/index.ts';
import { adminOf } from './global-setup.ts';

// Entry points started as the operator starts them, with everything shared out of reach (PostgreSQL, Redis and
// Kafka at ports where nothing listens, unless a test says otherwise): what they refuse, they refuse before
// touching anything, with a message and no stack.
const nowhere = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
  REDIS_URL: 'redis://127.0.0.1:1',
  KAFKA_BROKERS: '127.0.0.1:1',
  LOG_LEVEL: 'warn',
};
const secrets = {
  JWT_SECRET: 'j'.repeat(40),
  TICKET_SECRET: 't'.repeat(40),
  CART_SECRET: 'c'.repeat(40),
  STRIPE_SECRET_KEY: 'sk_test_startup',
};

/** Runs `node file args` with the environment given (NODE_ENV only when given) until it exits, or for `ms`. */
function run(file: string, args: string[], env: Record<string, string>, ms = 60_000) {
  const inherited = { ...process.env };
  delete inherited.NODE_ENV;
  const child = spawn(process.execPath, [file, ...args], { env: { ...inherited, ...nowhere, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const held: Server[] = [];
/** A port this process listens on, with a server that accepts connections and never answers. */
async function holdPort(): Promise<number> {
  const s = createServer((socket) => socket.on('error', () => {}));
  held.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as { port: number }).port;
}
afterAll(() => held.forEach((s) => s.close()));

describe('start-up', () => {
  it('prints the list of bad variables alone and exits 1, from every entry point', async () => {
    const entryPoints: [string, string[]][] = [
      ['main.ts', []],
      ['edge/main.ts', []],
      ['sequencer/main.ts', []],
      ['order-worker/main.ts', []],
      ['catalog/main.ts', []],
      ['notifications/main.ts', []],
      ['fulfillment/main.ts', []],
      ['analytics/main.ts', []],
      ['db/main.ts', []],
      ['audit/main.ts', [newId()]],
      ['catalog/reindex.ts', []],
      ['catalog/seed.ts', ['--products', '1']],
      ['edge/admin-create.ts', ['--email', 'startup@example.test', '--password', 'long enough']],
      ['cart/remind.ts', ['--dry-run']],
      ['infra/dead-letters.ts', ['list']],
    ];
    const results = await Promise.all(
      entryPoints.map(([file, args]) => run(file, args, { NODE_ENV: 'test', PORT: 'eighty', WS_PING_INTERVAL_MS: 'often' })),
    );
    results.forEach((r, i) => {
      const file = entryPoints[i]![0];
      expect(r.code, file).toBe(1);
      expect(r.stdout, file).toBe('');
      expect(r.stderr, file).toBe(
        'invalid configuration:\n  PORT: Invalid input: expected number, received NaN\n  WS_PING_INTERVAL_MS: Invalid input: expected number, received NaN\n',
      );
    });
  }, 90_000); // ten processes load their modules at once on a shared machine

  it('prints the bad variables of the local Stripe-compatible server alone too', async () => {
    const r = await run('infra/stripe-local/main.ts', [], { STRIPE_LOCAL_PORT: 'eighty', STRIPE_LOCAL_FAILURE_RATE: '2' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'invalid configuration:\n  STRIPE_LOCAL_PORT: Invalid input: expected number, received NaN\n  STRIPE_LOCAL_FAILURE_RATE: Too big: expected number to be <=1\n',
    );
  });

  it('takes an unset NODE_ENV for production, and refuses to run without its secrets', async () => {
    const r = await run('main.ts', [], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^invalid configuration \(NODE_ENV is unset, which means production\):\n/);
    for (const v of ['JWT_SECRET', 'TICKET_SECRET', 'CART_SECRET', 'STRIPE_SECRET_KEY']) expect(r.stderr).toContain(`  ${v}: is required in production\n`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses --demo in production: its accounts have published passwords', async () => {
    const r = await run('main.ts', ['--demo'], { ...secrets, NODE_ENV: 'production' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('--demo loads accounts whose passwords are published: it runs only with NODE_ENV=development or test\n');
  });

  it('refuses a live Stripe key that would go to plain HTTP, naming STRIPE_API_BASE', async () => {
    const r = await run('edge/main.ts', [], { ...secrets, STRIPE_SECRET_KEY: 'sk_live_startup', STRIPE_API_BASE: 'http://payments.example' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^invalid configuration \(NODE_ENV is unset, which means production\):\n {2}STRIPE_API_BASE: a live key/);
  });

  it('refuses to start while another process holds its ports, naming it, before touching the database', async () => {
    const [api, room, stripe] = [await holdPort(), await holdPort(), await holdPort()];
    const database = `${new URL(process.env.DATABASE_URL!).pathname.slice(1)}_ports`;
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database}`;
    const env = { NODE_ENV: 'test', DATABASE_URL: url.toString(), STRIPE_API_BASE: `http://127.0.0.1:${stripe}` };

    const all = await run('main.ts', ['--demo'], { ...env, PORT: String(api), WS_PORT: String(room) });
    expect(all.code).toBe(1);
    expect(all.stdout).toBe('');
    const holder = `is in use by pid ${process.pid} (`;
    expect(all.stderr).toContain(`cannot start:\n  PORT: 127.0.0.1:${api} ${holder}`);
    expect(all.stderr).toContain(`\n  WS_PORT: 127.0.0.1:${room} ${holder}`);
    expect(all.stderr).toContain(`\n  STRIPE_API_BASE: 127.0.0.1:${stripe} ${holder}`);
    expect(all.stderr).not.toMatch(/^\s+at /m);

    const edge = await run('edge/main.ts', [], { ...env, PORT: '0', WS_PORT: String(room) });
    expect(edge.code).toBe(1);
    expect(edge.stderr).toMatch(new RegExp(`^cannot start:\\n  WS_PORT: 127\\.0\\.0\\.1:${room} ${holder.replace(/[()]/g, '\\$&')}`));

    const admin = adminOf(process.env.DATABASE_URL!);
    try {
      expect(await admin`select datname from pg_database where datname = ${database}`).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
