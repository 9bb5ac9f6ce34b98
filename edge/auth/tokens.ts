import { sign, unsign } from '../../platform/index.ts';

export const roles = ['customer', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface AuthUser {
  user_id: string;
  role: Role;
}

// HS256 JWTs with node:crypto, synchronously: every authenticated request verifies one, and WebCrypto's
// importKey + verify (hono/jwt) cost ~150 µs a token where an HMAC with a cached key costs a few.
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** An HS256 bearer token naming the user and role, valid for `ttlSeconds`. */
export function issueToken(user: AuthUser, secret: string, ttlSeconds: number, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  const claims = { sub: user.user_id, role: user.role, iat, exp: iat + ttlSeconds };
  return Promise.resolve(sign(`${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`, secret));
}

const isRole = (r: unknown): r is Role => roles.includes(r as Role);

/** The user of a token, or null when it is malformed, not HS256, forged, expired or not yet valid. */
export function verifyToken(token: string, secret: string, now = Date.now()): AuthUser | null {
  const signed = unsign(token, secret);
  const dot = signed?.indexOf('.') ?? -1;
  if (signed == null || dot < 1 || signed.indexOf('.', dot + 1) !== -1) return null;
  const header = signed.slice(0, dot);
  try {
    if (header !== HEADER) {
      const h = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown } | null;
      if (h?.alg !== 'HS256') return null;
    }
    const c = JSON.parse(Buffer.from(signed.slice(dot + 1), 'base64url').toString()) as Record<string, unknown> | null;
    const seconds = Math.floor(now / 1000);
    if (c === null || typeof c.sub !== 'string' || c.sub === '' || !isRole(c.role) || typeof c.exp !== 'number') return null;
    if (c.exp <= seconds) return null;
    if (typeof c.nbf === 'number' && c.nbf > seconds) return null;
    if (typeof c.iat === 'number' && c.iat > seconds) return null;
    return { user_id: c.sub, role: c.role };
  } catch {
    return null;
  }
}
