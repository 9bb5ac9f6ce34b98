import { parseArgs } from 'node:util';
import { createSql, loadConfig, startOrExit } from '../platform/index.ts';
import { createAccountsRepo } from './accounts/repo.ts';
import { registerBody } from './accounts/schemas.ts';
import { hashPassword } from './auth/password.ts';
import { fieldErrors } from './validate.ts';

/** `npm run admin:create -- --email E --password P [--name N]`: creates an admin or promotes that user. */
const { values } = parseArgs({
  options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
});
const parsed = registerBody.safeParse({ email: values.email, password: values.password, name: values.name ?? 'Administrator' });
if (!parsed.success) {
  for (const e of fieldErrors(parsed.error)) console.error(`--${e.field}: ${e.message}`);
  console.error('usage: npm run admin:create -- --email E --password P [--name N]');
  process.exit(2);
}
const input = parsed.data;
const sql = createSql(await startOrExit(loadConfig));
try {
  const userId = await createAccountsRepo(sql).upsertAdmin({ ...input, password_hash: await hashPassword(input.password) });
  console.log(`admin ${input.email} is user ${userId}`);
} finally {
  await sql.end();
}
