import { createMiddleware } from 'hono/factory';
import { AppError } from '../../platform/index.ts';
import type { EdgeEnv } from '../env.ts';
import { verifyToken, type AuthUser, type Role } from './tokens.ts';

const BEARER = /^Bearer\s+(\S+)$/i;

/** The user of an `Authorization: Bearer …` header; null when it is missing, malformed or its token is bad. */
export function bearerUser(header: string | undefined, secret: string): AuthUser | null {
  const token = BEARER.exec(header ?? '')?.[1];
  return token === undefined ? null : verifyToken(token, secret);
}

/** Requires a valid bearer token (401 otherwise) and, when roles are given, one of them (403 otherwise). */
export const requireAuth = (secret: string, ...allowed: Role[]) =>
  createMiddleware<EdgeEnv>(async (c, next) => {
    const user = bearerUser(c.req.header('authorization'), secret);
    if (user === null) throw new AppError('unauthorized', 'a valid bearer token is required');
    if (allowed.length > 0 && !allowed.includes(user.role)) {
      throw new AppError('forbidden', `this route needs the ${allowed.join(' or ')} role`);
    }
    c.set('user', user);
    await next();
  });
