import { runAlone } from '../platform/index.ts';
import { startNotifications } from './consumer.ts';

/** `npm run notifications`: the notifications consumer alone (migrations are `npm run migrate`). */
await runAlone('notifications', async (rt) => {
  const { closer, ready } = await startNotifications(rt);
  return { closers: [closer], ready };
});
