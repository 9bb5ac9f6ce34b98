import { html } from 'hono/html';
import type { Markup } from './layout.ts';

/** Stripe's test cards the shop takes: the first two approve, the last is declined. */
export const TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa test card ending 4242' },
  { id: 'pm_card_mastercard', label: 'Mastercard test card ending 4444' },
  { id: 'pm_card_chargeDeclined', label: 'Test card that is declined' },
] as const;

/** The test cards as the options of a select. */
export const cardOptions = (): Markup => html`${TEST_CARDS.map((c) => html`<option value="${c.id}">${c.label}</option>`)}`;

/** The test cards as radio buttons named `card`, the first chosen. */
export const cardRadios = (): Markup =>
  html`${TEST_CARDS.map(
    (c, i) => html`<label><input type="radio" name="card" value="${c.id}"${i === 0 ? html` checked` : ''}> ${c.label}</label>`,
  )}`;
