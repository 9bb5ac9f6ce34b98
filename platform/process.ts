import { loadConfig } from './config.ts';
import { metricsClosers } from './metrics.ts';
import { connectionClosers, createRuntime, prepareTopics, type Runtime } from './runtime.ts';
import { onShutdown, type Closer } from './shutdown.ts';
import { startOrExit } from './startup.ts';

/** A started component: what stops it, in order, and when it is ready (its consumers in their groups). */
export interface Component {
  closers: Closer[];
  ready?: Promise<void>;
}

/**
 * Runs one component as a process of its own: loads the configuration (a wrong one ends the process with the
 * list of what is wrong), creates the platform's topics when missing, starts the component and the metrics
 * listener, and on SIGTERM or SIGINT stops the listener, the component and the connections, in that order.
 */
export async function runAlone(name: string, start: (rt: Runtime) => Promise<Component>): Promise<void> {
  const rt = createRuntime(await startOrExit(loadConfig), name);
  await prepareTopics(rt);
  const component = await start(rt);
  const metrics = await metricsClosers(rt.config, rt.logger);
  onShutdown([...metrics, ...component.closers, ...connectionClosers(rt)], rt.logger, rt.config.SHUTDOWN_TIMEOUT_MS);
  await component.ready;
  rt.logger.info(`${name} running`);
}
