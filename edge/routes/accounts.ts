import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Carts } from '../../cart/index.ts';
import { AppError, type Config, createGate, type Logger } from '../../platform/index.ts';
import type { AccountsRepo, UserRow } from '../accounts/repo.ts';
import { addressBody, loginBody, registerBody } from '../accounts/schemas.ts';
import { requireAuth } from '../auth/middleware.ts';
import { decoyHash, hashPassword, isWeakHash, verifyPassword } from '../auth/password.ts';
import { issueToken } from '../auth/tokens.ts';
import { clearCartCookie, requestCartToken } from '../cart-token.ts';
import type { ClientKey } from '../client-address.ts';
import type { EdgeEnv } from '../env.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { jsonBody } from '../validate.ts';

export interface AccountRoutesDeps {
  accounts: AccountsRepo;
  config: Pick<
    Config,
    | 'JWT_SECRET'
    | 'JWT_TTL_SECONDS'
    | 'AUTH_LIMIT_PER_IP'
    | 'AUTH_LIMIT_PER_ACCOUNT'
    | 'AUTH_LIMIT_WINDOW_SECONDS'
    | 'PASSWORD_HASH_CONCURRENCY'
    | 'PASSWORD_HASH_WAIT_MS'
  >;
  carts: Pick<Carts, 'mergeOnSignIn'>;
  limits: RateLimiter;
  clientKey: ClientKey;
  logger: Logger;
}

/**
 * Registration, login and the signed-in user's addresses. A sign-in carrying a guest cart token (body `cart_token`,
 * the Cart-Token header or the cookie) merges that cart into the user's and clears the cookie; its answer then has
 * `merge` (null when the token named no cart to merge: a bad or stale token never fails a sign-in) and, after a
 * merge, the user's `cart`. Without a token the answer is `{user_id, token}` alone.
 *
 * Every well-formed sign-in (login or registration) counts against its client address and its email before any
 * password is hashed: beyond AUTH_LIMIT_PER_IP or AUTH_LIMIT_PER_ACCOUNT in a window it is 429 with Retry-After.
 * At most PASSWORD_HASH_CONCURRENCY hashes run at once in a process; a sign-in that waited PASSWORD_HASH_WAIT_MS
 * for a turn is 503 with Retry-After. A login whose stored hash is weaker than today's is hashed again.
 */
export function accountRoutes(deps: AccountRoutesDeps) {
  const { accounts, config, limits, logger } = deps;
  const token = (user_id: string, role: 'customer' | 'admin') =>
    issueToken({ user_id, role }, config.JWT_SECRET, config.JWT_TTL_SECONDS);
  const hashing = createGate({
    max: config.PASSWORD_HASH_CONCURRENCY,
    waitMs: config.PASSWORD_HASH_WAIT_MS,
    what: 'sign-in',
  });
  const decoy = decoyHash();

  /** Counts a sign-in attempt against its address, then its account; throws rate_limited beyond either. */
  const attempt = (c: Context, email: string) =>
    limits.hit(
      {
        scope: 'auth:ip',
        id: deps.clientKey(c),
        max: config.AUTH_LIMIT_PER_IP,
        windowSeconds: config.AUTH_LIMIT_WINDOW_SECONDS,
        message: 'too many sign-in attempts from this address; try again later',
      },
      {
        scope: 'auth:account',
        id: createHash('sha256').update(email).digest('base64url'),
        max: config.AUTH_LIMIT_PER_ACCOUNT,
        windowSeconds: config.AUTH_LIMIT_WINDOW_SECONDS,
        message: 'too many sign-in attempts for this account; try again later',
      },
    );

  /** Stores a hash of today's strength for a password just verified; a failure only keeps the old hash. */
  const rehash = async (user: UserRow, password: string) => {
    try {
      const fresh = await hashing.run(() => hashPassword(password));
      await accounts.replacePasswordHash(user.user_id, user.password_hash, fresh);
    } catch (err) {
      logger.warn({ err, user_id: user.user_id }, 'password rehash failed; the old hash stays');
    }
  };

  /** The members a sign-in answer gains from the guest cart token it carried: none without one. */
  const mergeGuestCart = async (c: Context, user_id: string, bodyToken: string | undefined) => {
    const cartToken = bodyToken ?? requestCartToken(c);
    if (cartToken === undefined) return {};
    clearCartCookie(c);
    const merged = await deps.carts.mergeOnSignIn(user_id, cartToken);
    return merged === null ? { merge: null } : { cart: merged.cart, merge: merged.merge };
  };

  return new Hono<EdgeEnv>()
    .post('/auth/register', async (c) => {
      const { cart_token, ...body } = await jsonBody(c, registerBody);
      await attempt(c, body.email);
      const password_hash = await hashing.run(() => hashPassword(body.password));
      const user_id = await accounts.createUser({ ...body, password_hash, role: 'customer' });
      const merged = await mergeGuestCart(c, user_id, cart_token);
      return c.json({ user_id, token: await token(user_id, 'customer'), ...merged }, 201);
    })
    .post('/auth/login', async (c) => {
      const body = await jsonBody(c, loginBody);
      await attempt(c, body.email);
      const user = await accounts.findByEmail(body.email);
      const stored = user?.password_hash ?? (await decoy);
      const ok = await hashing.run(() => verifyPassword(body.password, stored));
      if (!user || !ok) throw new AppError('unauthorized', 'email or password is wrong');
      if (isWeakHash(user.password_hash)) await rehash(user, body.password);
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
