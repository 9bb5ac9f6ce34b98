import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

interface Params {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt guidance (Password Storage Cheat Sheet): N = 2^17, r = 8, p = 1; a 32-byte key, a 16-byte salt. */
const CURRENT: Params = { N: 2 ** 17, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Bounds a stored hash's parameters must keep to, so a damaged row cannot make one check take gigabytes. */
const isSane = ({ N, r, p }: Params) =>
  Number.isInteger(Math.log2(N)) && N >= 2 ** 10 && N <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;

/**
 * Derives the key off the event loop (libuv's pool). `maxmem` is what scrypt needs for these parameters,
 * 128·r·(N + p + 2) bytes (128 MiB and a little more for the current ones), above Node's 32 MiB default.
 */
const derive = (password: string, salt: Buffer, params: Params, keylen: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      keylen,
      { ...params, maxmem: 128 * params.r * (params.N + params.p + 2) },
      (e, k) => (e ? reject(e) : resolve(k)),
    ),
  );

interface Stored extends Params {
  salt: Buffer;
  key: Buffer;
}

/** A stored hash's parts, or null when it is not one this module wrote (or its parameters are out of bounds). */
function parse(stored: string): Stored | null {
  const [alg, N, r, p, salt, key, ...rest] = stored.split('$');
  if (alg !== 'scrypt' || !N || !r || !p || !salt || !key || rest.length > 0) return null;
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  if (!isSane(params)) return null;
  return { ...params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/**
 * A self-describing scrypt hash with the current parameters: `scrypt$N$r$p$salt$key` (base64url). Costs one
 * core about half a second and 128 MiB while it runs.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, CURRENT, KEY_BYTES);
  return ['scrypt', CURRENT.N, CURRENT.r, CURRENT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when the password matches the hash; compares in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const s = parse(stored);
  if (s === null || s.key.length === 0) return false;
  const actual = await derive(password, s.salt, s, s.key.length);
  return timingSafeEqual(actual, s.key);
}

/**
 * True when a well-formed hash is weaker than what `hashPassword` writes now (a smaller N, r or p, a shorter key
 * or salt): the password should be hashed again once it has been verified.
 */
export function isWeakHash(stored: string): boolean {
  const s = parse(stored);
  if (s === null) return false;
  return s.N < CURRENT.N || s.r < CURRENT.r || s.p < CURRENT.p || s.key.length < KEY_BYTES || s.salt.length < SALT_BYTES;
}

let decoy: Promise<string> | undefined;

/**
 * A valid hash of a random password with the current parameters, checked against when an account is unknown so
 * timing does not tell. Made on the first call (half a second), once per process.
 */
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));
