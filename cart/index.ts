export { createCarts, type Carts } from './service.ts';
export type { CartAnswer, CartDeps, Who } from './core.ts';
export type { MergeOutcome } from './merge.ts';
export type { CappedLine, MergeReport } from './merge-lines.ts';
export type { ProductPages } from './facts.ts';
export type { CartItem, CartProblem, CartView } from './view.ts';
export { GUEST_TTL_SECONDS } from './model.ts';
export { createCheckoutCart, type CartUnits, type CheckoutCart } from './checkout.ts';
export { createCartReminders, type CartReminders, type CartRemindersDeps, type Reminded } from './reminders.ts';
