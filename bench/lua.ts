import { performance } from 'node:perf_hooks';
import { initDropState } from '../admission/index.ts';
import { newId, type DropCommand } from '../contracts/index.ts';
import { createLogger, createRedis, loadConfig, startOrExit } from '../platform/index.ts';
import { createDecider, sequencerKeys, type SequencedCommand } from '../sequencer/index.ts';

/**
 * `node bench/lua.ts [joins] [units] [batch]`: decisions per second of decide.lua alone
 * against the configured Redis (default 100,000 joins for a 1,000-unit drop in batches of 2,000),
 * counting each script call and its pending acknowledgement. Then buys every held unit in one call,
 * which sells the whole waitlist out in calls of at most `batch` intents each, and reports their
 * time. Uses a throwaway drop, deleted after.
 */
const [joins = 100_000, units = 1_000, batch = 2_000] = process.argv.slice(2).map(Number);
// A benchmark runs against the local stack, as `npm start` does: in development, whatever the shell says.
const config = await startOrExit(() => loadConfig({ ...process.env, NODE_ENV: 'development' }));
const redis = createRedis(config, createLogger(config, 'bench-lua'));
const dropId = newId();
const now = Date.now();
await initDropState(redis, {
  drop_id: dropId,
  quantity: units,
  hold_seconds: 300,
  per_user_limit: 1,
  queue_limit: joins,
  starts_at: now,
  ends_at: null,
  partition: 0,
  status: 'open',
});
const decider = await createDecider(redis, { sweepMax: batch });

const batches: SequencedCommand[][] = [];
for (let i = 0; i < joins; i += batch) {
  batches.push(
    Array.from({ length: Math.min(batch, joins - i) }, (_, k): SequencedCommand => {
      const command: DropCommand = {
        type: 'join',
        v: 1,
        drop_id: dropId,
        at: now,
        intent_id: newId(),
        user_id: newId(),
        quantity: 1,
      };
      return { offset: i + k, command };
    }),
  );
}

const made: string[][] = [];
let decisions = 0;
let slowest = 0;
const t0 = performance.now();
for (const commands of batches) {
  const t = performance.now();
  const r = await decider.decide({ dropId, partition: 0, now: Date.now(), commands });
  if (!r.ok) throw new Error(r.reason);
  await decider.ack(dropId, r.seq);
  decisions += r.decisions.length;
  made.push(r.decisions);
  slowest = Math.max(slowest, performance.now() - t);
}
const seconds = (performance.now() - t0) / 1000;

const reservedIds = made
  .flat()
  .map((d) => JSON.parse(d) as { intent_id: string; status: string })
  .filter((d) => d.status === 'reserved')
  .map((d) => d.intent_id);

const purchases = reservedIds.map((intent_id, k): SequencedCommand => ({
  offset: joins + k,
  command: { type: 'purchase', v: 1, drop_id: dropId, at: now, intent_id, order_id: newId() },
}));
const t1 = performance.now();
const sweep = await decider.decide({ dropId, partition: 0, now: Date.now(), commands: purchases });
const sweepMs = performance.now() - t1;
if (!sweep.ok) throw new Error(sweep.reason);
await decider.ack(dropId, sweep.seq);
const state = await redis.hgetall(sequencerKeys(dropId).state);
await redis.del(...Object.values(sequencerKeys(dropId)));
await redis.quit();

console.log(
  JSON.stringify({
    joins,
    units,
    batch,
    decisions,
    seconds: Number(seconds.toFixed(3)),
    decisions_per_second: Math.round(decisions / seconds),
    slowest_call_ms: Number(slowest.toFixed(1)),
    sweep: {
      purchases: purchases.length,
      decisions: sweep.decisions.length,
      calls: sweep.calls,
      ms: Math.round(sweepMs),
      ms_per_call: Math.round(sweepMs / sweep.calls),
    },
    status: state.status,
    purchased: Number(state.purchased),
  }),
);
