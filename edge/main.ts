import { connectionClosers, createRuntime, onShutdown, prepareTopics } from '../platform/index.ts';
import { startEdge } from './server.ts';

/** `npm run edge`: the HTTP edge alone (migrations are `npm run migrate`). */
const rt = createRuntime(undefined, 'edge');
await prepareTopics(rt);
const edge = await startEdge(rt);
onShutdown([...edge.closers, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
rt.logger.info({ url: edge.url }, 'edge listening');
