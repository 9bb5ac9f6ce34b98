export * from './topics.ts';
export * from './ids.ts';
export * from './money.ts';
