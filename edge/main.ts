import { assertPortsFree, connectionClosers, createRuntime, loadConfig, onShutdown, prepareTopics, startOrExit } from '../platform/index.ts';
import { edgeListeners, startEdge } from './server.ts';

/**
 * `npm run edge`: the HTTP edge alone (migrations are `npm run migrate`). A bad configuration, or a port another
 * process holds, ends it before it touches anything shared.
 */
const config = await startOrExit(async () => {
  const c = loadConfig();
  await assertPortsFree(edgeListeners(c));
  return c;
});
const rt = createRuntime(config, 'edge');
await prepareTopics(rt);
const edge = await startEdge(rt);
onShutdown([...edge.closers, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
rt.logger.info({ url: edge.url, metrics: edge.metricsUrl }, 'edge listening');
