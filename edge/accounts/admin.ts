import { isAppError } from '../../platform/index.ts';
import { hashPassword } from '../auth/password.ts';
import type { AccountsRepo, UserRow } from './repo.ts';

/** What `ensureAdmin` did; `account` is the account that already held the email. */
export type AdminOutcome =
  | { kind: 'created'; user_id: string }
  | { kind: 'promoted'; account: UserRow }
  | { kind: 'already_admin'; account: UserRow }
  | { kind: 'refused'; account: UserRow }
  | { kind: 'needs_password' };

/**
 * Makes sure an admin account holds this email. A new email becomes a new admin with this password (required
 * then). An account that already holds the email is never changed silently: an admin stays as it is, and a
 * customer's account (which anyone could have registered first) is promoted only when `promote` says so;
 * otherwise the outcome is `refused`, naming the account (`needs_password` when there is none and no password
 * came). The password of an existing account is never changed.
 */
export async function ensureAdmin(
  accounts: AccountsRepo,
  input: { email: string; name: string; password?: string | undefined },
  promote: boolean,
): Promise<AdminOutcome> {
  for (;;) {
    const account = await accounts.findByEmail(input.email);
    if (account !== undefined) {
      if (account.role === 'admin') return { kind: 'already_admin', account };
      if (!promote) return { kind: 'refused', account };
      await accounts.promoteToAdmin(account.user_id);
      return { kind: 'promoted', account };
    }
    if (input.password === undefined) return { kind: 'needs_password' };
    try {
      const password_hash = await hashPassword(input.password);
      return { kind: 'created', user_id: await accounts.createUser({ ...input, password_hash, role: 'admin' }) };
    } catch (err) {
      // Registered meanwhile: decide again about the account that now holds the email.
      if (!(isAppError(err) && err.kind === 'conflict')) throw err;
    }
  }
}
