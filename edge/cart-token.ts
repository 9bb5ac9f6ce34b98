import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { GUEST_TTL_SECONDS, type CartAnswer } from '../cart/index.ts';

/** The name of the guest cart token: the answer's field, the cookie, the request body's field. */
export const CART_TOKEN = 'cart_token';

/** A guest cart token in a request body. */
export const cartTokenField = z.string().min(1).max(2_048);

/** The guest cart token a request carries: the `Cart-Token` header, else the `cart_token` cookie. */
export const requestCartToken = (c: Context): string | undefined =>
  c.req.header('cart-token') ?? getCookie(c, CART_TOKEN);

const secure = (c: Context) => new URL(c.req.url).protocol === 'https:';

/** Sets the guest's cookie to a cart answer's token: HttpOnly, SameSite=Lax, for as long as a guest cart lives. */
export function keepCartCookie(c: Context, answer: CartAnswer): void {
  if (answer.cart_token === undefined) return;
  setCookie(c, CART_TOKEN, answer.cart_token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: GUEST_TTL_SECONDS,
    secure: secure(c),
  });
}

/** Clears the guest's cookie (its cart was merged, or the token names no cart). */
export const clearCartCookie = (c: Context): void => {
  deleteCookie(c, CART_TOKEN, { path: '/', secure: secure(c) });
};
