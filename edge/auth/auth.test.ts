import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';
import { issueToken, verifyToken } from './tokens.ts';

const secret = 'a'.repeat(40);

describe('passwords', () => {
  it('verifies the right password and rejects others', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('tokens', () => {
  it('round-trips the user and role', async () => {
    const token = await issueToken({ user_id: 'u1', role: 'admin' }, secret, 60);
    expect(verifyToken(token, secret)).toEqual({ user_id: 'u1', role: 'admin' });
  });

  it('rejects expired tokens, other secrets and garbage', async () => {
    const old = await issueToken({ user_id: 'u1', role: 'customer' }, secret, 60, Date.now() - 3_600_000);
    expect(verifyToken(old, secret)).toBeNull();
    const other = await issueToken({ user_id: 'u1', role: 'customer' }, 'b'.repeat(40), 60);
    expect(verifyToken(other, secret)).toBeNull();
    expect(verifyToken('not.a.token', secret)).toBeNull();
  });
});
