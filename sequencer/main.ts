import { connectionClosers, createRuntime, loadConfig, metricsClosers, onShutdown, prepareTopics, startOrExit } from '../platform/index.ts';
import { createSequencer } from './sequencer.ts';

/** `node sequencer/main.ts`: the sequencer alone, consuming `drop.intents` as group `sequencer`. */
const rt = createRuntime(await startOrExit(loadConfig), 'sequencer');
await prepareTopics(rt);
const sequencer = createSequencer({ kafka: rt.kafka, redis: rt.redis, logger: rt.logger });
await sequencer.start();
const metrics = await metricsClosers(rt.config, rt.logger);
onShutdown(
  [...metrics, { name: 'sequencer', close: () => sequencer.stop() }, ...connectionClosers(rt)],
  rt.logger,
  rt.config.SHUTDOWN_TIMEOUT_MS,
);
rt.logger.info('sequencer running');
