const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX']);

/** `12500, 'USD'` → `USD 125.00`: integer minor units with two decimals (zero-decimal currencies as they are). */
export function formatMoney(cents: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return `${currency} ${cents}`;
  return `${currency} ${Math.trunc(cents / 100)}.${String(Math.abs(cents % 100)).padStart(2, '0')}`;
}

export interface ConfirmationFacts {
  order_id: string;
  name: string;
  title: string;
  quantity: number;
  total_cents: number;
  currency: string;
  estimated_delivery: string;
}

/** The subject and plain-text body of an order confirmation; the same facts always give the same email. */
export function confirmationEmail(f: ConfirmationFacts): { subject: string; text: string } {
  return {
    subject: `Your order ${f.order_id.slice(0, 8)} is confirmed`,
    text: [
      `Hello ${f.name},`,
      '',
      `Thank you for your order. It is confirmed and will be on its way soon.`,
      '',
      `  Order:              ${f.order_id}`,
      `  Item:               ${f.quantity} × ${f.title}`,
      `  Total:              ${formatMoney(f.total_cents, f.currency)}`,
      `  Estimated delivery: ${f.estimated_delivery}`,
      '',
      '— flashline',
      '',
    ].join('\n'),
  };
}
