import { createSql } from '../platform/clients.ts';
import { loadConfig } from '../platform/config.ts';
import { ensureDatabase, migrate, readMigrations } from '../db/migrate.ts';

/** Creates and migrates the test database once per run; tests then own their rows by unique ids. */
export default async function setup(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flashline_test',
  });
  await ensureDatabase(config.DATABASE_URL);
  const sql = createSql(config);
  try {
    await migrate(sql, await readMigrations());
  } finally {
    await sql.end();
  }
}
