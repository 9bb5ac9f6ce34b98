// Types of node-steps.mjs, for the TypeScript that calls it.
export const root: string;
export function run(cmd: string, args: string[], what: string): number;
export function ensureInstalled(): void;
export function stackUp(): void;
export function searchUp(): void;
