import { Hono } from 'hono';
import { AppError, type Config } from '../../platform/index.ts';
import type { AccountsRepo } from '../accounts/repo.ts';
import { addressBody, loginBody, registerBody } from '../accounts/schemas.ts';
import { requireAuth } from '../auth/middleware.ts';
import { decoyHash, hashPassword, verifyPassword } from '../auth/password.ts';
import { issueToken } from '../auth/tokens.ts';
import type { EdgeEnv } from '../env.ts';
import { jsonBody } from '../validate.ts';

/** Registration, login and the signed-in user's addresses. */
export function accountRoutes(accounts: AccountsRepo, config: Pick<Config, 'JWT_SECRET' | 'JWT_TTL_SECONDS'>) {
  const token = (user_id: string, role: 'customer' | 'admin') =>
    issueToken({ user_id, role }, config.JWT_SECRET, config.JWT_TTL_SECONDS);

  return new Hono<EdgeEnv>()
    .post('/auth/register', async (c) => {
      const body = await jsonBody(c, registerBody);
      const password_hash = await hashPassword(body.password);
      const user_id = await accounts.createUser({ ...body, password_hash, role: 'customer' });
      return c.json({ user_id, token: await token(user_id, 'customer') }, 201);
    })
    .post('/auth/login', async (c) => {
      const body = await jsonBody(c, loginBody);
      const user = await accounts.findByEmail(body.email);
      const ok = await verifyPassword(body.password, user?.password_hash ?? decoyHash);
      if (!user || !ok) throw new AppError('unauthorized', 'email or password is wrong');
      return c.json({ user_id: user.user_id, token: await token(user.user_id, user.role) });
    })
    .use('/me/*', requireAuth(config.JWT_SECRET))
    .post('/me/addresses', async (c) => {
      const body = await jsonBody(c, addressBody);
      return c.json({ address_id: await accounts.addAddress(c.get('user').user_id, body) }, 201);
    })
    .get('/me/addresses', async (c) => c.json({ addresses: await accounts.listAddresses(c.get('user').user_id) }));
}
