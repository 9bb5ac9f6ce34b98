import { runAlone } from '../platform/index.ts';
import { createSequencer } from './sequencer.ts';

/** `node sequencer/main.ts`: the sequencer alone, consuming `drop.intents` as group `sequencer`. */
await runAlone('sequencer', async (rt) => {
  const sequencer = createSequencer({ kafka: rt.kafka, redis: rt.redis, logger: rt.logger });
  await sequencer.start();
  return { closers: [{ name: 'sequencer', close: () => sequencer.stop() }] };
});
