import { describe, expect, it } from 'vitest';
import { signJson } from '../platform/index.ts';
import { cartIdOf, cartToken } from './token.ts';

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
});
