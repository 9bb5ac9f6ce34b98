import { Worker } from 'node:worker_threads';

const BOOT = new URL('./thread-boot.mjs', import.meta.url);

/** A worker thread running the TypeScript module `entry`, which finds `data` in `workerData.data`. */
export const startThread = (entry: URL, data: unknown): Worker => new Worker(BOOT, { workerData: { entry: entry.href, data } });
