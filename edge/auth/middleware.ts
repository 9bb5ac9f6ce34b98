import { createMiddleware } from 'hono/factory';
import { AppError } from '../../platform/errors.ts';
import type { EdgeEnv } from '../env.ts';
import { verifyToken, type Role } from './tokens.ts';

/** Requires a valid bearer token (401 otherwise) and, when roles are given, one of them (403 otherwise). */
export const requireAuth = (secret: string, ...allowed: Role[]) =>
  createMiddleware<EdgeEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const user = match?.[1] === undefined ? null : verifyToken(match[1], secret);
    if (user === null) throw new AppError('unauthorized', 'a valid bearer token is required');
    if (allowed.length > 0 && !allowed.includes(user.role)) {
      throw new AppError('forbidden', `this route needs the ${allowed.join(' or ')} role`);
    }
    c.set('user', user);
    await next();
  });
