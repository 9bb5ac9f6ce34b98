import { startOrderWorker } from '../order-worker/index.ts';
import { createRuntime } from '../platform/index.ts';
import { createSequencer } from '../sequencer/index.ts';
import { sequencerOptions, workerOptions, type EngineNames } from './engine.ts';

/**
 * A sequencer or an order worker in a process of its own, for tests that kill it (SIGKILL) in the
 * middle of a drop. ENGINE_CHILD holds {role, names}; payments go to STRIPE_API_BASE.
 */
const o = JSON.parse(process.env.ENGINE_CHILD ?? '{}') as { role: 'sequencer' | 'worker'; names: EngineNames };
const rt = createRuntime(undefined, `test-${o.role}`);
if (o.role === 'sequencer') await createSequencer(sequencerOptions(rt, o.names)).start();
else await startOrderWorker(rt, workerOptions(o.names));
console.log('ready');
