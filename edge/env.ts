import type { AuthUser } from './auth/tokens.ts';

/** Hono variables set by edge middleware. */
export interface EdgeEnv {
  Variables: {
    requestId: string;
    user: AuthUser;
  };
}
