export { startEdge, type EdgeServer } from './server.ts';
export { hashPassword } from './auth/password.ts';
export { createAccountsRepo } from './accounts/repo.ts';
