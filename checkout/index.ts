export { createDropOrderSaga, type AdvanceResult, type DropOrderSaga } from './saga.ts';
export type { CheckoutOptions, CheckoutRequest, CheckoutResult, HeldCheckout } from './held-checkout.ts';
export type { Clock, SagaDeps, SendCommand } from './steps.ts';
export { nextStep, type IntentSnapshot, type Step } from './transitions.ts';
export { createPaymentGateway, type ChargeOutcome, type PaymentGateway } from './gateway.ts';
export { estimatedDelivery, orderEventFor } from './events.ts';
