import { runAlone } from '../platform/index.ts';
import { startOrderWorker } from './worker.ts';

/** `node order-worker/main.ts`: the order worker alone (migrations are `npm run migrate`). */
await runAlone('order worker', async (rt) => ({ closers: [(await startOrderWorker(rt)).closer] }));
