export { ensureDatabase, migrate, readMigrations, type Migration } from './migrate.ts';
