import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives working defaults for development', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(c.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', KAFKA_BROKERS: 'nohost', LOG_LEVEL: 'loud' })).toThrow(
      /PORT[\s\S]*KAFKA_BROKERS[\s\S]*LOG_LEVEL|PORT[\s\S]*LOG_LEVEL[\s\S]*KAFKA_BROKERS/,
    );
    try {
      loadConfig({ PORT: 'eighty', KAFKA_BROKERS: 'nohost', LOG_LEVEL: 'loud' });
    } catch (e) {
      const msg = (e as Error).message;
      for (const v of ['PORT', 'KAFKA_BROKERS', 'LOG_LEVEL']) expect(msg).toContain(v);
    }
  });

  it('takes a public waiting-room URL only as ws:// or wss://', () => {
    expect(loadConfig({ WS_PUBLIC_URL: 'wss://shop.example/room/' }).WS_PUBLIC_URL).toBe('wss://shop.example/room');
    expect(() => loadConfig({ WS_PUBLIC_URL: 'https://shop.example' })).toThrow(/WS_PUBLIC_URL: must be a ws:\/\/ or wss:\/\/ URL/);
  });

  it('has no secret defaults in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: is required in production\n\s+TICKET_SECRET: is required in production\n\s+CART_SECRET: is required in production\n\s+STRIPE_SECRET_KEY/,
    );
    const secrets = {
      JWT_SECRET: 's'.repeat(40),
      TICKET_SECRET: 't'.repeat(40),
      CART_SECRET: 'c'.repeat(40),
      STRIPE_SECRET_KEY: 'sk_live_x',
    };
    const config = loadConfig({ NODE_ENV: 'production', ...secrets });
    expect(config.JWT_SECRET).toBe('s'.repeat(40));
    expect(config.CART_SECRET).toBe('c'.repeat(40));
  });

  it('gives carts their own development secret and a line limit of 10', () => {
    const c = loadConfig({});
    expect(c.CART_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(c.CART_SECRET).not.toBe(c.JWT_SECRET);
    expect(c.CART_LINE_LIMIT).toBe(10);
    expect(() => loadConfig({ CART_SECRET: 'short', CART_LINE_LIMIT: '0' })).toThrow(
      /CART_SECRET: must be at least 32 characters[\s\S]*CART_LINE_LIMIT/,
    );
  });

  it('reads durations with their unit, and speeds parcels up outside production only', () => {
    const c = loadConfig({});
    expect(c.CART_REMINDER_AFTER).toBe(86_400_000);
    expect(c.RETURN_WINDOW_DAYS).toBe(30);
    expect(c.FULFILLMENT_SPEEDUP).toBe(3_600);
    expect(c.PUBLIC_URL).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ CART_REMINDER_AFTER: '90m', PUBLIC_URL: 'https://shop.example/' })).toMatchObject({
      CART_REMINDER_AFTER: 5_400_000,
      PUBLIC_URL: 'https://shop.example',
    });
    expect(() => loadConfig({ CART_REMINDER_AFTER: '24 hours', FULFILLMENT_SPEEDUP: '0' })).toThrow(
      /FULFILLMENT_SPEEDUP: Too small[\s\S]*CART_REMINDER_AFTER: must be a number and a unit/,
    );
  });
});
