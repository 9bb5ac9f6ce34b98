import { connectionClosers, createRuntime, onShutdown, prepareTopics } from '../platform/index.ts';
import { startFulfillment } from './consumer.ts';

/** `npm run fulfillment`: the fulfillment consumer and its scan loop alone (migrations are `npm run migrate`). */
const rt = createRuntime(undefined, 'fulfillment');
await prepareTopics(rt);
const fulfillment = await startFulfillment(rt);
onShutdown([fulfillment.closer, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
await fulfillment.ready;
rt.logger.info('fulfillment running');
