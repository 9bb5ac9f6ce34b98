export * from './topics.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './drops.ts';
export * from './drop-keys.ts';
export * from './orders.ts';
export * from './products.ts';
export * from './messages.ts';
