import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { BlockList, isIP } from 'node:net';

/** Whether an address (normalised) is one of the trusted proxies. */
export type Trusted = (address: string) => boolean;

/**
 * An address as this module compares it: IPv4 dotted, IPv6 without zone or brackets, an IPv4-mapped IPv6
 * address as its IPv4 one, a port (`1.2.3.4:80`, `[::1]:80`) left off; undefined when it is not an IP address.
 */
export function normaliseAddress(raw: string): string | undefined {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.indexOf(':'));
  a = a.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1]!;
  const family = isIP(a);
  if (family === 4) return a;
  if (family === 6) return a.toLowerCase();
  return undefined;
}

/** The matcher of TRUST_PROXY's addresses and CIDRs (already validated by the config). */
export function trustedProxies(entries: readonly string[]): Trusted {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    if (bits === undefined) {
      const a = normaliseAddress(address)!;
      list.addAddress(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
    } else {
      list.addSubnet(address, Number(bits), isIP(address) === 6 ? 'ipv6' : 'ipv4');
    }
  }
  return (address) => list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then X-Forwarded-For is read
 * from the right, and the first address that is not a trusted proxy is the client. A hop that is not an address
 * stops the walk at the proxy that passed it on, and when every hop is trusted the left-most one is the client,
 * so a client can never choose its own address by writing the header. Undefined when the peer is unknown.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: Trusted): string | undefined {
  let client = peer === undefined ? undefined : normaliseAddress(peer);
  if (client === undefined || forwardedFor === undefined || !trusted(client)) return client;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseAddress(hops[i]!);
    if (hop === undefined) return client;
    client = hop;
    if (!trusted(hop)) return hop;
  }
  return client;
}

/** The first four groups of an IPv6 address (its /64 network), in lower-case hex without leading zeros. */
function ipv6Network64(address: string): string {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (part: string | undefined) => {
    if (!part) return [];
    return part.split(':').flatMap((g) => {
      if (!g.includes('.')) return [g];
      const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  };
  const front = groups(head);
  const back = groups(tail);
  const all = [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${all.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/**
 * What per-client-address limits count under: the client's IPv4 address, or the /64 network of its IPv6 address
 * (one subscriber's usual allocation, so a client cannot step round a limit by changing the interface part);
 * `unknown` for a request without a peer.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  return isIP(address) === 6 ? ipv6Network64(address) : address;
}

/**
 * The key every per-client-address limit of the edge counts a request under (joins, sign-ins, searches): the
 * client's address (see `clientAddress`) as `addressKey` gives it.
 */
export const clientKeyOf =
  (trusted: Trusted) =>
  (c: Context): string => {
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined; // a request made in-process (app.request) has no socket
    }
    return addressKey(clientAddress(peer, c.req.header('x-forwarded-for'), trusted));
  };

export type ClientKey = ReturnType<typeof clientKeyOf>;
