import { demoAccounts, seedDemo } from './db/demo.ts';
import { ensureDatabase, migrate, readMigrations } from './db/migrate.ts';
import { startEdge } from './edge/index.ts';
import { connectionClosers, createRuntime, prepareTopics } from './platform/runtime.ts';
import { onShutdown } from './platform/shutdown.ts';

/**
 * Every component in one process, for a laptop: prepares the database (migrations, demo data) and
 * the Kafka topics, then serves. Each component also runs alone through its own main.ts.
 */
const rt = createRuntime(undefined, 'flashline');
const step = (what: string) => console.log(`start: ${what}`);

step('database');
await ensureDatabase(rt.config.DATABASE_URL);
await migrate(rt.sql, await readMigrations(), { onApply: (n) => step(`applied migration ${n}`) });
await seedDemo(rt.sql);
step('kafka topics');
await prepareTopics(rt);
const edge = await startEdge(rt);
onShutdown([...edge.closers, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);

console.log(`
  flashline is up
    edge        ${edge.url}   (health ${edge.url}/readyz, metrics ${edge.url}/metrics)
    admin       ${demoAccounts.admin.email} / ${demoAccounts.admin.password}
    customer    ${demoAccounts.customer.email} / ${demoAccounts.customer.password}
  sign in:  curl -s ${edge.url}/api/v1/auth/login -H 'content-type: application/json' \\
              -d '{"email":"${demoAccounts.customer.email}","password":"${demoAccounts.customer.password}"}'
`);
