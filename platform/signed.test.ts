import { describe, expect, it } from 'vitest';
import { sign, signJson, unsign, unsignJson } from './signed.ts';

const secret = 's'.repeat(40);

describe('signed tokens', () => {
  it('give back what was signed with the same secret', () => {
    expect(unsign(sign('a.b', secret), secret)).toBe('a.b');
    expect(unsignJson(signJson({ n: 1, s: 'x' }, secret), secret)).toEqual({ n: 1, s: 'x' });
  });

  it('refuse another secret, an altered body or signature, and garbage', () => {
    const token = sign('data', secret);
    expect(unsign(token, 't'.repeat(40))).toBeNull();
    expect(unsign(`datb${token.slice(4)}`, secret)).toBeNull();
    expect(unsign(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, secret)).toBeNull();
    for (const bad of ['', '.', 'nodot', '.sig']) expect(unsign(bad, secret)).toBeNull();
    expect(unsignJson(sign('not-base64-json', secret), secret)).toBeNull();
  });
});
