import postgres from 'postgres';
import { createSql } from '../platform/clients.ts';
import { loadConfig } from '../platform/config.ts';
import { ensureDatabase, migrate, readMigrations } from '../db/migrate.ts';

/**
 * Creates the test database afresh and migrates it, once per run, so a run never inherits tables,
 * triggers or rows that another checkout's migrations left there; tests then own their rows by ids.
 */
export default async function setup(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flashline_test',
  });
  const url = new URL(config.DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin`drop database if exists ${admin(name)} with (force)`;
  } finally {
    await admin.end();
  }
  await ensureDatabase(config.DATABASE_URL);
  const sql = createSql(config);
  try {
    await migrate(sql, await readMigrations());
  } finally {
    await sql.end();
  }
}
