import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, migrate, readMigrations } from '../db/index.ts';
import { createRuntime, loadConfig, prepareTopics } from '../platform/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of this run's migrated database, the template of each test file's own. */
    templateDatabase: string;
  }
}

/** Runs older than this that left their databases behind (killed, crashed) have them dropped. */
const STALE_MS = 6 * 3_600_000;

/** The server's maintenance database, for creating and dropping others. */
export const adminOf = (url: string) => {
  const u = new URL(url);
  u.pathname = '/postgres';
  return postgres(u.toString(), { max: 1, onnotice: () => {} });
};

/**
 * Creates this run's database, `<prefix>_<seconds>_<random>` (TEST_DATABASE_URL names the server and the prefix,
 * default flashline_test), and migrates it, so that runs never share or drop each other's data; the test files
 * copy it (test/database.ts). Creates the platform's topics, as every process does when it starts, for the tests
 * that run components on them. Afterwards drops the databases and the leftovers of runs long gone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flashline_test');
  const prefix = decodeURIComponent(base.pathname.slice(1));
  const run = `${prefix}_${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${run}`;
  const admin = adminOf(url.toString());
  const dropAll = async (which: (name: string) => boolean) => {
    const names = (await admin<{ datname: string }[]>`select datname from pg_database`).map((r) => r.datname);
    for (const name of names.filter(which)) await admin`drop database if exists ${admin(name)} with (force)`;
  };
  const stale = new RegExp(`^${prefix}_(\\d+)_[0-9a-f]{6}`);
  await dropAll((n) => Number(stale.exec(n)?.[1] ?? Infinity) * 1000 < Date.now() - STALE_MS);
  await ensureDatabase(url.toString());
  const rt = createRuntime(loadConfig({ ...process.env, DATABASE_URL: url.toString() }), 'test-setup');
  try {
    await migrate(rt.sql, await readMigrations());
    await prepareTopics(rt);
  } finally {
    await Promise.all([rt.redis.quit(), rt.sql.end()]);
  }
  project.provide('templateDatabase', url.toString());
  return async () => {
    await dropAll((n) => n === run || n.startsWith(`${run}_`));
    await admin.end();
  };
}
