import { newId } from '../../contracts/index.ts';
import { AppError, type Sql } from '../../platform/index.ts';
import type { Role } from '../auth/tokens.ts';

export interface UserRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: Date;
}

export interface NewAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  postal_code: string;
  country: string;
}

const UNIQUE_VIOLATION = '23505';

/** Users and their addresses in PostgreSQL. */
export function createAccountsRepo(sql: Sql) {
  return {
    /** Inserts a user; an email already taken (case-insensitively) is a conflict. */
    async createUser(u: { email: string; name: string; password_hash: string; role: Role }): Promise<string> {
      const user_id = newId();
      try {
        await sql`insert into users (user_id, email, name, password_hash, role)
                  values (${user_id}, ${u.email}, ${u.name}, ${u.password_hash}, ${u.role})`;
      } catch (err) {
        if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
          throw new AppError('conflict', 'an account with this email already exists');
        }
        throw err;
      }
      return user_id;
    },

    async findByEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await sql<UserRow[]>`
        select user_id, email, name, role, password_hash, created_at from users where email = ${email}`;
      return row;
    },

    /** Gives an existing user the admin role; false when there is no such user. */
    async promoteToAdmin(userId: string): Promise<boolean> {
      const rows = await sql`update users set role = 'admin', updated_at = now() where user_id = ${userId}`;
      return rows.count === 1;
    },

    /**
     * Replaces the user's password hash, only if it is still `from` (a password changed meanwhile is kept);
     * true when it was replaced.
     */
    async replacePasswordHash(userId: string, from: string, to: string): Promise<boolean> {
      const rows = await sql`update users set password_hash = ${to}, updated_at = now()
                             where user_id = ${userId} and password_hash = ${from}`;
      return rows.count === 1;
    },

    async addAddress(userId: string, a: NewAddress): Promise<string> {
      const address_id = newId();
      await sql`insert into addresses (address_id, user_id, name, line1, line2, city, region, postal_code, country)
                values (${address_id}, ${userId}, ${a.name}, ${a.line1}, ${a.line2 ?? null}, ${a.city},
                        ${a.region ?? null}, ${a.postal_code}, ${a.country})`;
      return address_id;
    },

    listAddresses(userId: string) {
      return sql`select address_id, name, line1, line2, city, region, postal_code, country, created_at
                 from addresses where user_id = ${userId} order by created_at, address_id`;
    },
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
