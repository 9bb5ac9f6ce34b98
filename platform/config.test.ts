import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const dev = { NODE_ENV: 'development' };
const secrets = {
  JWT_SECRET: 's'.repeat(40),
  TICKET_SECRET: 't'.repeat(40),
  CART_SECRET: 'c'.repeat(40),
  STRIPE_SECRET_KEY: 'sk_live_x',
};

describe('loadConfig', () => {
  it('gives working defaults for development: its own secrets, payments to the local Stripe server', () => {
    const c = loadConfig(dev);
    expect(c.PORT).toBe(8080);
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(c.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(c.STRIPE_API_BASE).toBe('http://127.0.0.1:12111');
    expect(loadConfig({ NODE_ENV: 'test' }).STRIPE_API_BASE).toBe('http://127.0.0.1:12111');
  });

  it('takes an unset NODE_ENV for production: the secrets are required, and it says why', () => {
    expect(() => loadConfig({})).toThrow(
      /NODE_ENV is unset, which means production[\s\S]*JWT_SECRET: is required in production[\s\S]*STRIPE_SECRET_KEY: is required/,
    );
    const c = loadConfig(secrets);
    expect(c.NODE_ENV).toBe('production');
    expect(c.JWT_SECRET).toBe(secrets.JWT_SECRET);
  });

  it('sends production payments to Stripe itself unless STRIPE_API_BASE says otherwise', () => {
    expect(loadConfig(secrets).STRIPE_API_BASE).toBe('');
    const staging = { ...secrets, STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_API_BASE: 'http://127.0.0.1:12111' };
    expect(loadConfig(staging).STRIPE_API_BASE).toBe('http://127.0.0.1:12111');
  });

  it('refuses a live key with an API base in plain HTTP or on this machine, in every environment', () => {
    for (const base of ['http://api.stripe.com', 'https://127.0.0.1:12111', 'https://localhost', 'https://[::1]:443', 'http://127.0.0.1:12111']) {
      for (const env of [secrets, { ...dev, STRIPE_SECRET_KEY: 'sk_live_x' }]) {
        expect(() => loadConfig({ ...env, STRIPE_API_BASE: base }), base).toThrow(/STRIPE_API_BASE: a live key/);
      }
    }
    expect(loadConfig({ ...secrets, STRIPE_API_BASE: 'https://stripe-proxy.internal.example' }).STRIPE_API_BASE).toBe(
      'https://stripe-proxy.internal.example',
    );
    expect(() => loadConfig({ ...dev, STRIPE_SECRET_KEY: 'sk_live_x' })).toThrow(/STRIPE_API_BASE: a live key/); // the local default
    expect(loadConfig({ ...dev, STRIPE_API_BASE: 'http://127.0.0.1:12111' }).STRIPE_SECRET_KEY).toBe('sk_test_local');
  });

  it('has waiting-room limits with defaults, and refuses nonsense', () => {
    const c = loadConfig(dev);
    expect(c).toMatchObject({ WS_SOCKETS_PER_INTENT: 3, WS_PING_INTERVAL_MS: 30_000, WS_FINAL_GRACE_MS: 30_000, WS_MESSAGES_PER_SECOND: 10 });
    expect(() => loadConfig({ ...dev, WS_SOCKETS_PER_INTENT: '0', WS_MESSAGES_PER_SECOND: 'many' })).toThrow(
      /WS_SOCKETS_PER_INTENT[\s\S]*WS_MESSAGES_PER_SECOND/,
    );
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ ...dev, PORT: 'eighty', KAFKA_BROKERS: 'nohost', LOG_LEVEL: 'loud' })).toThrow(
      /PORT[\s\S]*KAFKA_BROKERS[\s\S]*LOG_LEVEL|PORT[\s\S]*LOG_LEVEL[\s\S]*KAFKA_BROKERS/,
    );
    try {
      loadConfig({ ...dev, PORT: 'eighty', KAFKA_BROKERS: 'nohost', LOG_LEVEL: 'loud' });
    } catch (e) {
      const msg = (e as Error).message;
      for (const v of ['PORT', 'KAFKA_BROKERS', 'LOG_LEVEL']) expect(msg).toContain(v);
    }
  });

  it('takes a public waiting-room URL only as ws:// or wss://', () => {
    expect(loadConfig({ ...dev, WS_PUBLIC_URL: 'wss://shop.example/room/' }).WS_PUBLIC_URL).toBe('wss://shop.example/room');
    expect(() => loadConfig({ ...dev, WS_PUBLIC_URL: 'https://shop.example' })).toThrow(/WS_PUBLIC_URL: must be a ws:\/\/ or wss:\/\/ URL/);
  });

  it('has no secret defaults in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: is required in production\n\s+TICKET_SECRET: is required in production\n\s+CART_SECRET: is required in production\n\s+STRIPE_SECRET_KEY/,
    );
    const config = loadConfig({ NODE_ENV: 'production', ...secrets });
    expect(config.JWT_SECRET).toBe('s'.repeat(40));
    expect(config.CART_SECRET).toBe('c'.repeat(40));
  });

  it('gives carts their own development secret and a line limit of 10', () => {
    const c = loadConfig(dev);
    expect(c.CART_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(c.CART_SECRET).not.toBe(c.JWT_SECRET);
    expect(c.CART_LINE_LIMIT).toBe(10);
    expect(() => loadConfig({ ...dev, CART_SECRET: 'short', CART_LINE_LIMIT: '0' })).toThrow(
      /CART_SECRET: must be at least 32 characters[\s\S]*CART_LINE_LIMIT/,
    );
  });

  it('reads TRUST_PROXY as a list of addresses and CIDRs, naming each bad entry', () => {
    expect(loadConfig(dev).TRUST_PROXY).toEqual([]);
    expect(loadConfig({ ...dev, TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,fd00::/8,::1' }).TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
      '::1',
    ]);
    for (const bad of ['localhost', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '10.0.0.0/x', 'fe80::1%eth0']) {
      expect(() => loadConfig({ ...dev, TRUST_PROXY: `127.0.0.1,${bad}` }), bad).toThrow(/TRUST_PROXY\.1: must be an IP address or a CIDR/);
    }
  });

  it('has the cart checkout tables for the demo countries, and checks tables given as JSON or lists', () => {
    const c = loadConfig(dev);
    expect(c.RESERVATION_TTL_SECONDS).toBe(600);
    expect(c.TAX_RATES).toMatchObject({ US: 725, DE: 1_900, CH: 810 });
    expect(c.SHIPPING_ZONES['us-west']?.countries.US).toContain('CA');
    expect(c.SHIPPING_RATES.express.zone).toEqual({ days: 1, cents: 1_499 });
    const own = loadConfig({
      ...dev,
      SHIPPING_ZONES: JSON.stringify({ home: { continent: 'EU', countries: { NL: '*' } } }),
      TAX_RATES: 'NL:21',
      RESERVATION_TTL_SECONDS: '60',
    });
    expect(own).toMatchObject({ SHIPPING_ZONES: { home: { continent: 'EU' } }, TAX_RATES: { NL: 2_100 }, RESERVATION_TTL_SECONDS: 60 });
  });

  it('names each bad checkout table', () => {
    expect(() => loadConfig({ ...dev, SHIPPING_ZONES: '{nope', SHIPPING_RATES: '{}', TAX_RATES: 'US=7' })).toThrow(
      /SHIPPING_ZONES: must be JSON[\s\S]*SHIPPING_RATES[\s\S]*TAX_RATES: "US=7" is not COUNTRY:percent/,
    );
    const twice = { a: { continent: 'NA', countries: { US: '*' } }, b: { continent: 'NA', countries: { US: '*' } } };
    expect(() => loadConfig({ ...dev, SHIPPING_ZONES: JSON.stringify(twice) })).toThrow(/SHIPPING_ZONES: US is in both a and b/);
    expect(() => loadConfig({ ...dev, TAX_RATES: 'US:7.25' })).toThrow(/TAX_RATES: has no rate for CA, GB/);
  });

  it('reads durations with their unit, and speeds parcels up outside production only', () => {
    const c = loadConfig(dev);
    expect(c.CART_REMINDER_AFTER).toBe(86_400_000);
    expect(c.RETURN_WINDOW_DAYS).toBe(30);
    expect(c.FULFILLMENT_SPEEDUP).toBe(3_600);
    expect(c.PUBLIC_URL).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ ...dev, CART_REMINDER_AFTER: '90m', PUBLIC_URL: 'https://shop.example/' })).toMatchObject({
      CART_REMINDER_AFTER: 5_400_000,
      PUBLIC_URL: 'https://shop.example',
    });
    expect(() => loadConfig({ ...dev, CART_REMINDER_AFTER: '24 hours', FULFILLMENT_SPEEDUP: '0' })).toThrow(
      /FULFILLMENT_SPEEDUP: Too small[\s\S]*CART_REMINDER_AFTER: must be a number and a unit/,
    );
  });
});
