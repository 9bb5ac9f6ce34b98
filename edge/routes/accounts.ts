import { Hono, type Context } from 'hono';
import type { Carts } from '../../cart/index.ts';
import { AppError, type Config } from '../../platform/index.ts';
import type { AccountsRepo } from '../accounts/repo.ts';
import { addressBody, loginBody, registerBody } from '../accounts/schemas.ts';
import { requireAuth } from '../auth/middleware.ts';
import { decoyHash, hashPassword, verifyPassword } from '../auth/password.ts';
import { issueToken } from '../auth/tokens.ts';
import { clearCartCookie, requestCartToken } from '../cart-token.ts';
import type { EdgeEnv } from '../env.ts';
import { jsonBody } from '../validate.ts';

/**
 * Registration, login and the signed-in user's addresses. A sign-in carrying a guest cart token (body `cart_token`,
 * the Cart-Token header or the cookie) merges that cart into the user's and clears the cookie; its answer then has
 * `merge` (null when the token named no cart to merge: a bad or stale token never fails a sign-in) and, after a
 * merge, the user's `cart`. Without a token the answer is `{user_id, token}` alone.
 */
export function accountRoutes(
  accounts: AccountsRepo,
  config: Pick<Config, 'JWT_SECRET' | 'JWT_TTL_SECONDS'>,
  carts: Pick<Carts, 'mergeOnSignIn'>,
) {
  const token = (user_id: string, role: 'customer' | 'admin') =>
    issueToken({ user_id, role }, config.JWT_SECRET, config.JWT_TTL_SECONDS);

  /** The members a sign-in answer gains from the guest cart token it carried: none without one. */
  const mergeGuestCart = async (c: Context, user_id: string, bodyToken: string | undefined) => {
    const cartToken = bodyToken ?? requestCartToken(c);
    if (cartToken === undefined) return {};
    clearCartCookie(c);
    const merged = await carts.mergeOnSignIn(user_id, cartToken);
    return merged === null ? { merge: null } : { cart: merged.cart, merge: merged.merge };
  };

  return new Hono<EdgeEnv>()
    .post('/auth/register', async (c) => {
      const { cart_token, ...body } = await jsonBody(c, registerBody);
      const password_hash = await hashPassword(body.password);
      const user_id = await accounts.createUser({ ...body, password_hash, role: 'customer' });
      const merged = await mergeGuestCart(c, user_id, cart_token);
      return c.json({ user_id, token: await token(user_id, 'customer'), ...merged }, 201);
    })
    .post('/auth/login', async (c) => {
      const body = await jsonBody(c, loginBody);
      const user = await accounts.findByEmail(body.email);
      const ok = await verifyPassword(body.password, user?.password_hash ?? decoyHash);
      if (!user || !ok) throw new AppError('unauthorized', 'email or password is wrong');
      const merged = await mergeGuestCart(c, user.user_id, body.cart_token);
      return c.json({ user_id: user.user_id, token: await token(user.user_id, user.role), ...merged });
    })
    .use('/me/*', requireAuth(config.JWT_SECRET))
    .post('/me/addresses', async (c) => {
      const body = await jsonBody(c, addressBody);
      return c.json({ address_id: await accounts.addAddress(c.get('user').user_id, body) }, 201);
    })
    .get('/me/addresses', async (c) => c.json({ addresses: await accounts.listAddresses(c.get('user').user_id) }));
}
