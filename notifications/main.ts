import { connectionClosers, createRuntime, onShutdown, prepareTopics } from '../platform/index.ts';
import { startNotifications } from './consumer.ts';

/** `npm run notifications`: the notifications consumer alone (migrations are `npm run migrate`). */
const rt = createRuntime(undefined, 'notifications');
await prepareTopics(rt);
const notifications = await startNotifications(rt);
onShutdown([notifications.closer, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
await notifications.ready;
rt.logger.info('notifications running');
