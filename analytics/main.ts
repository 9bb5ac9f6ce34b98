import { runAlone } from '../platform/index.ts';
import { startAnalytics } from './consumer.ts';

/** `npm run analytics`: the analytics consumer and its counter flush alone (migrations are `npm run migrate`). */
await runAlone('analytics', async (rt) => {
  const { closer, ready } = await startAnalytics(rt);
  return { closers: [closer], ready };
});
