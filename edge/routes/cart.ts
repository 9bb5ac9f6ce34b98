import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { InterestCounter } from '../../analytics/index.ts';
import type { CartAnswer, Carts, Who } from '../../cart/index.ts';
import { isId } from '../../contracts/index.ts';
import { AppError, isAppError } from '../../platform/index.ts';
import { bearerUser, requireAuth } from '../auth/middleware.ts';
import { cartTokenField, clearCartCookie, keepCartCookie, requestCartToken } from '../cart-token.ts';
import type { EdgeEnv } from '../env.ts';
import { idParam, jsonBody, parseWith } from '../validate.ts';

// Quantities above the line limit are well-formed: the cart refuses them (409 naming the limit), not the schema.
const addBody = z.strictObject({ product_id: z.string().max(100), quantity: z.number().int().min(1) });
const patchBody = z.strictObject({ quantity: z.number().int().min(0) });
const mergeBody = z.strictObject({ cart_token: cartTokenField });
/** A link's `?token=`; nothing else. */
const linkQuery = z.strictObject({ token: z.string().min(1).max(2_048) });

/**
 * Whose cart: a bearer token's user (a bad bearer token is 401, never a silent guest cart), else the guest cart
 * of the Cart-Token header or cookie.
 */
const whoOf = (c: Context, secret: string): Who => {
  const header = c.req.header('authorization');
  if (header === undefined) return { token: requestCartToken(c) };
  const user = bearerUser(header, secret);
  if (user === null)
    throw new AppError('unauthorized', 'a valid bearer token is required, or none for a guest cart');
  return { user_id: user.user_id };
};

const answer = (c: Context, cart: CartAnswer) => {
  keepCartCookie(c, cart);
  return c.json(cart);
};

/** Answers a write; a guest's write whose token names no cart clears the cookie, so the next add starts a new cart. */
async function answerWrite(c: Context, who: Who, run: () => Promise<CartAnswer>): Promise<Response> {
  try {
    return answer(c, await run());
  } catch (err) {
    if (
      isAppError(err) &&
      err.kind === 'not_found' &&
      err.details.reason === 'no_cart' &&
      !('user_id' in who)
    ) {
      clearCartCookie(c);
    }
    throw err;
  }
}

/**
 * The cart of a signed-in user (bearer token) or of a guest (cart token); every answer is the whole cart, and every
 * add is counted for analytics. The merge of a guest cart into the user's needs the bearer token. A reminder's
 * links land here: the restore link (answering the cart, with the guest's cookie when it made a guest cart) and the
 * unsubscribe link (GET, or the mail client's one-click POST).
 */
export const cartRoutes = (carts: Carts, secret: string, interest: Pick<InterestCounter, 'carted'>) =>
  new Hono<EdgeEnv>()
    .get('/cart', async (c) => {
      const who = whoOf(c, secret);
      const cart = await carts.get(who);
      if (cart.cart_id === null && !('user_id' in who) && who.token !== undefined) clearCartCookie(c);
      return answer(c, cart);
    })
    .post('/cart/items', async (c) => {
      const who = whoOf(c, secret);
      const { product_id, quantity } = await jsonBody(c, addBody);
      if (!isId(product_id)) throw new AppError('not_found', `no product ${product_id}`);
      const answer = await answerWrite(c, who, () => carts.add(who, product_id.toLowerCase(), quantity));
      interest.carted(product_id.toLowerCase());
      return answer;
    })
    .patch('/cart/items/:product_id', async (c) => {
      const who = whoOf(c, secret);
      const product_id = idParam(c, 'product_id', 'cart line');
      const { quantity } = await jsonBody(c, patchBody);
      return answerWrite(c, who, () => carts.setQuantity(who, product_id, quantity));
    })
    .delete('/cart/items/:product_id', async (c) => {
      const who = whoOf(c, secret);
      const product_id = idParam(c, 'product_id', 'cart line');
      return answerWrite(c, who, () => carts.remove(who, product_id));
    })
    .get('/cart/restore', async (c) => {
      const who = whoOf(c, secret);
      const { token } = parseWith(linkQuery, c.req.query(), 'query');
      return answer(c, await carts.restore(who, token));
    })
    .on(['GET', 'POST'], '/cart/reminders/unsubscribe', async (c) => {
      const { token } = parseWith(linkQuery, c.req.query(), 'query');
      await carts.unsubscribe(token);
      return c.json({ unsubscribed: true });
    })
    .post('/cart/merge', requireAuth(secret), async (c) => {
      const { cart_token } = await jsonBody(c, mergeBody);
      const { cart, merge } = await carts.merge(c.get('user').user_id, cart_token);
      clearCartCookie(c);
      return c.json({ ...cart, merge });
    });
