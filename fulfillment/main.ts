import { runAlone } from '../platform/index.ts';
import { startFulfillment } from './consumer.ts';

/** `npm run fulfillment`: the fulfillment consumer and its scan loop alone (migrations are `npm run migrate`). */
await runAlone('fulfillment', async (rt) => {
  const { closer, ready } = await startFulfillment(rt);
  return { closers: [closer], ready };
});
