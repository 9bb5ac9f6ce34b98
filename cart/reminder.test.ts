import { describe, expect, it } from 'vitest';
import { buyableLines, reminderEmail, type ReminderCart, type ReminderLine } from './reminder.ts';

const line = (product_id: string, o: Partial<ReminderLine> = {}): ReminderLine => ({
  product_id,
  quantity: 2,
  title: `Lamp ${product_id}`,
  price_cents: 1_250,
  currency: 'USD',
  in_drop: false,
  stock: 5,
  ...o,
});
const cart = (lines: ReminderLine[]): ReminderCart => ({
  cart_id: 'c',
  user_id: 'u',
  version: 3,
  email: 'ada@example.test',
  name: 'Ada & co',
  currency: 'USD',
  lines,
});
const links = { restore: 'https://shop.example/api/v1/cart/restore?token=r&x=1', unsubscribe: 'https://shop.example/u?token=u' };

describe('cart reminders', () => {
  it('counts only the lines a shopper can still buy', () => {
    const lines = [
      line('a'),
      line('gone', { title: null, price_cents: null, currency: null }),
      line('euro', { currency: 'EUR' }),
      line('drop', { in_drop: true }),
      line('empty', { stock: 0 }),
    ];
    expect(buyableLines(cart(lines)).map((l) => l.product_id)).toEqual(['a']);
    expect(buyableLines(cart(lines.slice(1)))).toEqual([]);
  });

  it('lists what is left at today’s prices with a link back and a way to stop, in text and escaped HTML', () => {
    const m = reminderEmail(cart([line('a'), line('b', { stock: 0 })]), links);
    expect(m.text).toContain('2 × Lamp a  USD 25.00');
    expect(m.text).toContain('(1 more item is no longer available.)');
    expect(m.text).toContain(`Back to your cart: ${links.restore}`);
    expect(m.text).toContain(`No more of these reminders: ${links.unsubscribe}`);
    expect(m.html).toContain('Ada &#38; co');
    expect(m.html).toContain('href="https://shop.example/api/v1/cart/restore?token=r&#38;x=1"');
    expect(m.text).not.toContain('Lamp b');
  });
});
