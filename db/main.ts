import { createSql, loadConfig, startOrExit } from '../platform/index.ts';
import { ensureDatabase, migrate, readMigrations } from './migrate.ts';

/** `npm run migrate`: creates the database if needed and applies pending migrations. */
const config = await startOrExit(loadConfig);
await ensureDatabase(config.DATABASE_URL);
const sql = createSql(config);
try {
  const applied = await migrate(sql, await readMigrations(), { onApply: (n) => console.log(`migrate: applied ${n}`) });
  console.log(`migrate: ${applied.length === 0 ? 'up to date' : `${applied.length} applied`}`);
} finally {
  await sql.end();
}
