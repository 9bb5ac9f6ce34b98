import { describe, expect, it } from 'vitest';
import { signJson } from '../platform/index.ts';
import { cartIdOf, cartToken, restoredCartOf, restoreToken, unsubscribedUserOf, unsubscribeToken } from './token.ts';

const secret = 'cart-test-secret-0123456789-0123456789';
const id = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('cart tokens', () => {
  it('name the cart they were made for, the same token every time', () => {
    expect(cartIdOf(cartToken(id, secret), secret)).toBe(id);
    expect(cartToken(id, secret)).toBe(cartToken(id, secret));
  });

  it('name nothing when forged, altered, signed with another secret or not a cart token', () => {
    const token = cartToken(id, secret);
    expect(cartIdOf(`${token.slice(0, -2)}xx`, secret)).toBeNull();
    expect(cartIdOf(cartToken(id, `${secret}-other`), secret)).toBeNull();
    expect(cartIdOf('not-a-token', secret)).toBeNull();
    expect(cartIdOf(signJson({ cart_id: 'not-a-uuid' }, secret), secret)).toBeNull();
    expect(cartIdOf(signJson({ user_id: id }, secret), secret)).toBeNull();
  });

  it('keep restore and unsubscribe links apart from cart tokens and from each other; restore links expire', () => {
    const restore = restoreToken(id, 2_000, secret);
    expect(restoredCartOf(restore, secret, 1_999)).toBe(id);
    expect(restoredCartOf(restore, secret, 2_000)).toBeNull();
    expect(cartIdOf(restore, secret)).toBeNull();
    expect(restoredCartOf(cartToken(id, secret), secret, 0)).toBeNull();
    const unsubscribe = unsubscribeToken(id, secret);
    expect(unsubscribedUserOf(unsubscribe, secret)).toBe(id);
    expect(unsubscribedUserOf(restore, secret)).toBeNull();
    expect(restoredCartOf(unsubscribe, secret, 0)).toBeNull();
    expect(unsubscribedUserOf(`${unsubscribe}x`, secret)).toBeNull();
  });
});
