import { describe, expect, it } from 'vitest';
import { factsFor, factsOf } from './facts.ts';

const page = (o: Record<string, unknown> = {}) =>
  JSON.stringify({
    product_id: 'p1',
    sku: 'SKU-1',
    title: 'Kettle',
    description: '',
    images: ['https://img/1.jpg', 'https://img/2.jpg'],
    price_cents: 4_200,
    currency: 'USD',
    max_per_order: null,
    drop_id: null,
    stock: { available: 7, in_stock: true, warehouses: [] },
    ...o,
  });

describe('factsOf', () => {
  it('reads what a cart line needs from a product page', () => {
    expect(factsOf(page())).toEqual({
      product_id: 'p1',
      sku: 'SKU-1',
      title: 'Kettle',
      image: 'https://img/1.jpg',
      price_cents: 4_200,
      currency: 'USD',
      available: 7,
      drop_id: null,
    });
  });

  it('reads a product without images, one in a drop, and a page cached before pages named drops', () => {
    expect(factsOf(page({ images: [] }))?.image).toBeNull();
    expect(factsOf(page({ drop_id: 'd1' }))?.drop_id).toBe('d1');
    const older = JSON.parse(page()) as Record<string, unknown>;
    delete older.drop_id;
    expect(factsOf(JSON.stringify(older))?.drop_id).toBeNull();
  });

  it('is null for an unknown product and throws on a page without a price', () => {
    expect(factsOf(null)).toBeNull();
    expect(() => factsOf(page({ price_cents: undefined }))).toThrow(/price_cents/);
  });
});

describe('factsFor', () => {
  it('asks for every product and keeps unknown ones as null', async () => {
    const asked: string[] = [];
    const facts = await factsFor(
      { page: (id) => (asked.push(id), Promise.resolve(id === 'p1' ? page() : null)) },
      ['p1', 'p2'],
    );
    expect(asked).toEqual(['p1', 'p2']);
    expect(facts.get('p1')?.sku).toBe('SKU-1');
    expect(facts.get('p2')).toBeNull();
  });
});
