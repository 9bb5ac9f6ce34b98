import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, isWeakHash, verifyPassword } from './password.ts';
import { issueToken, verifyToken } from './tokens.ts';

const secret = 'a'.repeat(40);

describe('passwords', () => {
  it('verifies the right password and rejects others', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('verifies hashes of older, weaker parameters and tells that they are weak', async () => {
    const salt = randomBytes(16);
    const weak = ['scrypt', 16384, 8, 1, salt.toString('base64url'), scryptSync('old one', salt, 32, { N: 16384 }).toString('base64url')].join('$');
    expect(await verifyPassword('old one', weak)).toBe(true);
    expect(await verifyPassword('old two', weak)).toBe(false);
    expect(isWeakHash(weak)).toBe(true);
    expect(isWeakHash(await hashPassword('new one'))).toBe(false);
    expect(isWeakHash('garbage')).toBe(false);
  });

  it('refuses a stored hash whose parameters would cost too much to check', async () => {
    const huge = ['scrypt', 2 ** 24, 8, 1, 'c2FsdA', 'a2V5'].join('$');
    expect(await verifyPassword('anything', huge)).toBe(false);
    expect(isWeakHash(huge)).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$1000$8$1$c2FsdA$a2V5')).toBe(false);
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
