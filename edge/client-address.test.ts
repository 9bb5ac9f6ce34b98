import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, normaliseAddress, trustedProxies } from './client-address.ts';

const trusted = trustedProxies(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
const none = trustedProxies([]);

describe('normaliseAddress', () => {
  it('reads IPv4, IPv6, mapped, bracketed, ported and zoned forms', () => {
    expect(normaliseAddress(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(normaliseAddress('203.0.113.7:5123')).toBe('203.0.113.7');
    expect(normaliseAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normaliseAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normaliseAddress('fe80::1%eth0')).toBe('fe80::1');
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', 'unknown', '1.2.3', '300.1.1.1', 'example.com', '1.2.3.4, 5.6.7.8', '\u0000']) {
      expect(normaliseAddress(bad), bad).toBeUndefined();
    }
  });
});

describe('trustedProxies', () => {
  it('matches single addresses and CIDRs of both families', () => {
    expect(trusted('10.200.3.4')).toBe(true);
    expect(trusted('127.0.0.1')).toBe(true);
    expect(trusted('127.0.0.2')).toBe(false);
    expect(trusted('fd12:3456::1')).toBe(true);
    expect(trusted('2001:db8::1')).toBe(false);
    expect(trustedProxies(['::1'])('::1')).toBe(true);
    expect(trustedProxies(['::ffff:10.0.0.0/104', '::ffff:127.0.0.1'])('127.0.0.1')).toBe(true);
  });
});

describe('clientAddress', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', none)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', '198.51.100.1', none)).toBe('10.0.0.5');
    expect(clientAddress('::ffff:203.0.113.7', undefined, none)).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddress('203.0.113.7', '10.0.0.1', trusted)).toBe('203.0.113.7');
  });

  it('takes the right-most address that is not a trusted proxy', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1');
    // The client wrote the left-most entry itself; the proxies appended the others.
    expect(clientAddress('10.0.0.5', '1.1.1.1, 198.51.100.1, 10.1.1.1', trusted)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '2001:db8::7,fd00::2', trusted)).toBe('2001:db8::7');
  });

  it('stops at the proxy that passed on a hop that is not an address', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1, garbage', trusted)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', 'garbage, 10.0.0.9', trusted)).toBe('10.0.0.9');
    expect(clientAddress('10.0.0.5', '', trusted)).toBe('10.0.0.5');
  });

  it('is the left-most hop when every hop is a trusted proxy, and the socket without the header', () => {
    expect(clientAddress('10.0.0.5', '10.0.0.1, 10.0.0.2', trusted)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.5', undefined, trusted)).toBe('10.0.0.5');
  });

  it('is undefined without a socket address', () => {
    expect(clientAddress(undefined, '198.51.100.1', trusted)).toBeUndefined();
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses and counts IPv6 ones by their /64 network', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:0a:b::1')).toBe('2001:db8:a:b::/64');
    expect(addressKey('2001:0db8:000a:000b:ffff:1:2:3')).toBe('2001:db8:a:b::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});
