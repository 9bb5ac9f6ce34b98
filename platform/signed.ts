import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject => {
  let k = keys.get(secret);
  if (!k) keys.set(secret, (k = createSecretKey(Buffer.from(secret))));
  return k;
};
const mac = (data: string, secret: string) => createHmac('sha256', keyOf(secret)).update(data).digest('base64url');

/**
 * `data.signature`, the signature an HMAC-SHA256 of `data` in base64url. Used for every token the platform
 * hands out (bearer tokens, waiting-room tickets, cart tokens, links in emails); the key object of each secret
 * is made once, so signing and checking cost a few microseconds.
 */
export const sign = (data: string, secret: string): string => `${data}.${mac(data, secret)}`;

/** The data of a token made by {@link sign} with this secret; null when the signature does not hold. */
export function unsign(token: string, secret: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot < 1) return null;
  const data = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(data, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? data : null;
}

/** A JSON value signed: base64url(JSON).signature. */
export const signJson = (value: unknown, secret: string): string =>
  sign(Buffer.from(JSON.stringify(value)).toString('base64url'), secret);

/** The JSON value of a token made by {@link signJson}; null when forged, altered or not JSON. */
export function unsignJson(token: string, secret: string): unknown {
  const data = unsign(token, secret);
  if (data === null) return null;
  try {
    return JSON.parse(Buffer.from(data, 'base64url').toString()) as unknown;
  } catch {
    return null;
  }
}
