import { describe, expect, it } from 'vitest';
import { benchDatabaseUrl } from './setup.ts';

describe('the bench database', () => {
  it('is the product database named with _bench after it, on the same server, with the same options', () => {
    expect(benchDatabaseUrl('postgres://postgres@127.0.0.1:5432/flashline')).toBe('postgres://postgres@127.0.0.1:5432/flashline_bench');
    expect(benchDatabaseUrl('postgres://u:p@db.internal/shop?sslmode=require')).toBe('postgres://u:p@db.internal/shop_bench?sslmode=require');
  });
});
