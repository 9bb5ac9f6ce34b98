import { connectionClosers, createRuntime, onShutdown, prepareTopics } from '../platform/index.ts';
import { startAnalytics } from './consumer.ts';

/** `npm run analytics`: the analytics consumer and its counter flush alone (migrations are `npm run migrate`). */
const rt = createRuntime(undefined, 'analytics');
await prepareTopics(rt);
const analytics = await startAnalytics(rt);
onShutdown([analytics.closer, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
await analytics.ready;
rt.logger.info('analytics running');
