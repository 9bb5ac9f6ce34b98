import { type Config, createSql, type Sql } from '../platform/index.ts';

/**
 * A small pool for saga bookkeeping whose commits do not wait for the WAL to reach the disk
 * (`synchronous_commit = off`): leases, when a purchase or release was last sent. A database crash may lose the
 * last fraction of a second of them, which only makes a saga wait for a lease to lapse or send a command again
 * (the sequencer ignores repeats). Every saga writes a dozen of these; waiting for the disk on each made the WAL flush the limit of a drop's sagas.
 */
export const createBookkeepingSql = (config: Pick<Config, 'DATABASE_URL'>, max = 6): Sql =>
  createSql({ DATABASE_URL: config.DATABASE_URL, DATABASE_POOL_MAX: max }, { synchronous_commit: 'off' });
