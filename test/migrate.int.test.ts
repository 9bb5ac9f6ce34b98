import { afterAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations, type Migration } from '../db/migrate.ts';
import { tag, testRuntime } from './helpers.ts';

const rt = testRuntime();
const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await rt.sql`drop schema ${rt.sql(s)} cascade`;
  await rt.redis.quit();
  await rt.sql.end();
});

const freshSchema = () => {
  const s = `mig_${tag()}`;
  schemas.push(s);
  return s;
};

/** Every column of every table in a schema, as text, to compare before and after. */
const shape = async (schema: string) =>
  (
    await rt.sql<{ c: string }[]>`
      select table_name || '.' || column_name || ':' || data_type as c from information_schema.columns
      where table_schema = ${schema} order by 1`
  ).map((r) => r.c);

describe('migrations', () => {
  it('applies every file once; a second run changes nothing', async () => {
    const schema = freshSchema();
    const files = await readMigrations();
    expect(await migrate(rt.sql, files, { schema })).toEqual(files.map((f) => f.name));
    const before = await shape(schema);
    expect(before).toContain('inventory.available_count:integer');
    expect(await migrate(rt.sql, files, { schema })).toEqual([]);
    expect(await shape(schema)).toEqual(before);
  });

  it('applies each file exactly once when two processes migrate at the same time', async () => {
    const schema = freshSchema();
    const files = await readMigrations();
    const [a, b] = await Promise.all([migrate(rt.sql, files, { schema }), migrate(rt.sql, files, { schema })]);
    expect([...a, ...b].sort()).toEqual(files.map((f) => f.name).sort());
  });

  it('rolls a failing file back whole and records nothing for it', async () => {
    const schema = freshSchema();
    const bad: Migration = { name: '9999_bad.sql', sql: 'create table half (id int); select 1/0;', checksum: 'x' };
    await expect(migrate(rt.sql, [bad], { schema })).rejects.toThrow(/9999_bad.sql failed/);
    const [t] = await rt.sql`select 1 from information_schema.tables where table_schema = ${schema} and table_name = 'half'`;
    expect(t).toBeUndefined();
  });

  it('refuses to run when an applied file was edited', async () => {
    const schema = freshSchema();
    const files = await readMigrations();
    await migrate(rt.sql, files, { schema });
    const edited = files.map((f, i) => (i === 0 ? { ...f, checksum: 'edited' } : f));
    await expect(migrate(rt.sql, edited, { schema })).rejects.toThrow(/changed after it was applied/);
  });

  it('enforces stock that never goes below zero', async () => {
    const schema = freshSchema();
    await migrate(rt.sql, await readMigrations(), { schema });
    await expect(
      rt.sql.begin(async (tx) => {
        await tx`select set_config('search_path', ${schema}, true)`;
        await tx`insert into products (product_id, sku, title, price_cents, currency)
                 values ('018f0000-0000-7000-8000-000000000001', 's', 't', 1, 'USD')`;
        await tx`insert into warehouses (warehouse_id, name, region)
                 values ('018f0000-0000-7000-8000-000000000002', 'w', 'r')`;
        await tx`insert into inventory (product_id, warehouse_id, available_count)
                 values ('018f0000-0000-7000-8000-000000000001', '018f0000-0000-7000-8000-000000000002', -1)`;
      }),
    ).rejects.toThrow(/inventory_available_count_check/);
  });
});
