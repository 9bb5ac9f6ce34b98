export { ensureAdmin, type AdminOutcome } from './accounts/admin.ts';
export { createAccountsRepo, type AccountsRepo } from './accounts/repo.ts';
export { requireAuth } from './auth/middleware.ts';
export { hashPassword } from './auth/password.ts';
export { issueToken, type AuthUser, type Role } from './auth/tokens.ts';
export type { EdgeEnv } from './env.ts';
export { problemJson } from './problem.ts';
export { edgeListeners, startEdge, type EdgeServer } from './server.ts';
export { jsonBody } from './validate.ts';
