import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccountsRepo } from '../edge/accounts/repo.ts';
import { verifyPassword } from '../edge/auth/password.ts';
import { tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const accounts = createAccountsRepo(rt.sql);
afterAll(async () => {
  await rt.redis.quit();
  await rt.sql.end();
});

/** Runs `npm run admin:create -- …args` against this file's database. */
const adminCreate = (...args: string[]) =>
  new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      ['edge/admin-create.ts', ...args],
      { env: { ...process.env, DATABASE_URL: rt.config.DATABASE_URL } },
      (error, out, err) => resolve({ code: error ? Number(error.code) : 0, out, err }),
    );
  });

describe('npm run admin:create', () => {
  it('creates an admin for a new email', async () => {
    const email = `admin-${tag()}@example.test`;
    const run = await adminCreate('--email', email, '--password', 'admin password 1', '--name', 'Ada');
    expect(run.code, run.err).toBe(0);
    const user = (await accounts.findByEmail(email))!;
    expect(run.out).toContain(user.user_id);
    expect(user).toMatchObject({ role: 'admin', name: 'Ada' });
    expect(await verifyPassword('admin password 1', user.password_hash)).toBe(true);
  });

  it('refuses an email someone registered first, naming whose account it is, and changes nothing', async () => {
    const email = `squatter-${tag()}@example.test`;
    const user_id = await accounts.createUser({ email, name: 'Mallory', password_hash: 'scrypt$theirs', role: 'customer' });
    const run = await adminCreate('--email', email, '--password', 'admin password 2');
    expect(run.code).toBe(1);
    expect(run.err).toContain(user_id);
    expect(run.err).toContain('"Mallory"');
    expect(run.err).toMatch(/created \d{4}-\d\d-\d\dT/);
    expect(run.err).toContain('--promote');
    expect(await accounts.findByEmail(email)).toMatchObject({ role: 'customer', password_hash: 'scrypt$theirs' });
  });

  it('promotes that account with --promote, keeping its password', async () => {
    const email = `promoted-${tag()}@example.test`;
    const user_id = await accounts.createUser({ email, name: 'Grace', password_hash: 'scrypt$hers', role: 'customer' });
    const run = await adminCreate('--email', email, '--promote');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(user_id);
    expect(await accounts.findByEmail(email)).toMatchObject({ user_id, role: 'admin', password_hash: 'scrypt$hers' });
    const again = await adminCreate('--email', email, '--password', 'another password');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already an admin.*nothing changed/);
  });

  it('asks for a password to create an account', async () => {
    const email = `nopass-${tag()}@example.test`;
    const run = await adminCreate('--email', email, '--promote');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--password/);
    expect(await accounts.findByEmail(email)).toBeUndefined();
  });
});
