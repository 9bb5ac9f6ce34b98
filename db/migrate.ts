import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Sql } from '../platform/index.ts';

export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

// Any constant shared by every migrating process; pg_advisory_lock takes a bigint.
const LOCK_KEY = 7_340_291_044n;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The .sql files of a folder in name order, each with a checksum of its text. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies the migrations not yet recorded, in order, each in its own transaction, and returns their
 * names. Safe to run from several processes at once (an advisory lock serialises them). Refuses to
 * run when an applied file has changed since. `schema` selects the schema to migrate (created if missing).
 */
export async function migrate(
  sql: Sql,
  migrations: Migration[],
  options: { schema?: string; onApply?: (name: string) => void } = {},
): Promise<string[]> {
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(${LOCK_KEY.toString()}::bigint)`;
    if (options.schema !== undefined) {
      await conn`create schema if not exists ${conn(options.schema)}`;
      await conn`select set_config('search_path', ${options.schema}, false)`;
    }
    await conn`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`;
    const applied = new Map(
      (await conn<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations`).map((r) => [
        r.name,
        r.checksum,
      ]),
    );
    const done: string[] = [];
    for (const m of migrations) {
      const seen = applied.get(m.name);
      if (seen === m.checksum) continue;
      if (seen !== undefined) throw new Error(`migration ${m.name} changed after it was applied`);
      await conn.unsafe('begin');
      try {
        await conn.unsafe(m.sql);
        await conn`insert into schema_migrations (name, checksum) values (${m.name}, ${m.checksum})`;
        await conn.unsafe('commit');
      } catch (err) {
        await conn.unsafe('rollback');
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      options.onApply?.(m.name);
      done.push(m.name);
    }
    return done;
  } finally {
    await conn`select pg_advisory_unlock(${LOCK_KEY.toString()}::bigint)`.catch(() => undefined);
    if (options.schema !== undefined) await conn`reset search_path`.catch(() => undefined);
    conn.release();
  }
}

/** Creates the database named in the URL when it does not exist (connecting to the `postgres` database). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (name === '') throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
    if (exists) return;
    await sql`create database ${sql(name)}`.catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // created by a concurrent process meanwhile
    });
  } finally {
    await sql.end();
  }
}
