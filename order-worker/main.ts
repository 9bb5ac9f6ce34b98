import { connectionClosers, createRuntime, loadConfig, metricsClosers, onShutdown, prepareTopics, startOrExit } from '../platform/index.ts';
import { startOrderWorker } from './worker.ts';

/** `node order-worker/main.ts`: the order worker alone (migrations are `npm run migrate`). */
const rt = createRuntime(await startOrExit(loadConfig), 'order-worker');
await prepareTopics(rt);
const worker = await startOrderWorker(rt);
const metrics = await metricsClosers(rt.config, rt.logger);
onShutdown([...metrics, worker.closer, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
rt.logger.info('order worker running');
