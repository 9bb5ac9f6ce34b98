// The first module of every worker thread the platform starts (platform/threads.ts). A worker thread does not
// inherit its parent's module loader, so TypeScript is loaded through tsx here, then the module named in
// workerData.entry runs.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
