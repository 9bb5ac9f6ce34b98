import { parseArgs } from 'node:util';
import { createSql, loadConfig, startOrExit } from '../platform/index.ts';
import { ensureAdmin } from './accounts/admin.ts';
import { createAccountsRepo, type UserRow } from './accounts/repo.ts';
import { adminBody } from './accounts/schemas.ts';
import { fieldErrors } from './validate.ts';

/**
 * `npm run admin:create -- --email E --password P [--name N] [--promote]`: creates an admin account. An email that
 * already has an account is refused (exit 1), naming that account, unless `--promote` makes it an admin; its
 * password is left as it is either way.
 */
const usage = 'usage: npm run admin:create -- --email E --password P [--name N] [--promote]';
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    promote: { type: 'boolean', default: false },
  },
});
const parsed = adminBody.safeParse({ email: values.email, password: values.password, name: values.name ?? 'Administrator' });
if (!parsed.success) {
  for (const e of fieldErrors(parsed.error)) console.error(`--${e.field}: ${e.message}`);
  console.error(usage);
  process.exit(2);
}
const input = parsed.data;
const whose = (a: UserRow) => `user ${a.user_id} (${JSON.stringify(a.name)}, ${a.role}, created ${a.created_at.toISOString()})`;
const sql = createSql(await startOrExit(loadConfig));
try {
  const outcome = await ensureAdmin(createAccountsRepo(sql), input, values.promote);
  switch (outcome.kind) {
    case 'created':
      console.log(`admin ${input.email} created: user ${outcome.user_id}`);
      break;
    case 'already_admin':
      console.log(`${input.email} is already an admin: ${whose(outcome.account)}; nothing changed`);
      break;
    case 'promoted':
      console.log(`${input.email} promoted to admin: ${whose(outcome.account)}; its password is unchanged`);
      break;
    case 'refused':
      console.error(`${input.email} already has an account: ${whose(outcome.account)}. Nothing changed.`);
      console.error('Check that this account is the intended one (anyone can register an email first), then run again with --promote.');
      process.exitCode = 1;
      break;
    case 'needs_password':
      console.error(`no account holds ${input.email}; give --password to create one`);
      process.exitCode = 2;
      break;
  }
} finally {
  await sql.end();
}
