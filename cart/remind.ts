import { parseArgs } from 'node:util';
import { createLogger, createMailer, createSql, loadConfig, startOrExit } from '../platform/index.ts';
import { createCartReminders } from './reminders.ts';

/**
 * `npm run cart:remind -- [--as-of ISO-TIME] [--dry-run]`: one pass of the abandoned-cart reminders as of that time
 * (default now), printing a JSON line per cart reminded (with --dry-run: per cart that would be, sending nothing).
 * Exits 2 on bad arguments.
 */
let options: { asOf: number; dryRun: boolean };
try {
  const { values } = parseArgs({ options: { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const asOf = values['as-of'] === undefined ? Date.now() : Date.parse(values['as-of']);
  if (Number.isNaN(asOf)) throw new Error(`--as-of must be an ISO time such as 2026-03-01T12:00:00Z, got ${values['as-of']}`);
  options = { asOf, dryRun: values['dry-run'] };
} catch (err) {
  console.error(`${(err as Error).message}\nusage: npm run cart:remind -- [--as-of ISO-TIME] [--dry-run]`);
  process.exit(2);
}

const config = await startOrExit(loadConfig);
const sql = createSql(config);
const mailer = createMailer(config);
try {
  const reminders = createCartReminders({ sql, mailer, logger: createLogger(config, 'cart-remind'), config });
  for (const r of await reminders.run(options.asOf, { dryRun: options.dryRun })) console.log(JSON.stringify(r));
} finally {
  mailer.close();
  await sql.end();
}
