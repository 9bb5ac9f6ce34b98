import { describe, expect, it } from 'vitest';
import { estimatedDelivery } from './events.ts';

describe('estimatedDelivery', () => {
  it('estimates delivery five days out, as a UTC date', () => {
    expect(estimatedDelivery(Date.UTC(2025, 0, 30, 23, 59))).toBe('2025-02-04');
  });
});
