// Types of node-steps.mjs, for the TypeScript that calls it.
export const root: string;
export const nodeBin: string;
export function attempt(cmd: string, args: string[]): { ok: boolean; code: number; ms: number };
export function run(cmd: string, args: string[], what: string): number;
export function ensureInstalled(): void;
export function stackUp(): void;
export function searchUp(): void;
export function listening(port: number | string): Promise<boolean>;
