import { sign, verify } from 'hono/jwt';
import { z } from 'zod';

export const roles = ['customer', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface AuthUser {
  user_id: string;
  role: Role;
}

const claims = z.object({ sub: z.string().min(1), role: z.enum(roles), exp: z.number() });

/** An HS256 bearer token naming the user and role, valid for `ttlSeconds`. */
export function issueToken(user: AuthUser, secret: string, ttlSeconds: number, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return sign({ sub: user.user_id, role: user.role, iat, exp: iat + ttlSeconds }, secret, 'HS256');
}

/** The user of a token, or null when it is malformed, forged or expired. */
export async function readToken(token: string, secret: string): Promise<AuthUser | null> {
  try {
    const parsed = claims.safeParse(await verify(token, secret, 'HS256'));
    return parsed.success ? { user_id: parsed.data.sub, role: parsed.data.role } : null;
  } catch {
    return null;
  }
}
