import { Partitioners } from 'kafkajs';
import { initDropState } from '../admission/index.ts';
import { dropKeys, newId, type JoinCommand } from '../contracts/index.ts';
import { ensureTopics, type Runtime } from '../platform/index.ts';
import { run } from './ceilings.ts';
import { startChild } from './children.ts';
import { deleteDropKeys } from './cleanup.ts';
import type { EngineChildSpec } from './engine-child.ts';
import { perSecond } from './stats.ts';

export interface SequencerAlone {
  /** The sequencer process draining a full partition: Kafka in, decide.lua, Kafka out, acknowledged (median run). */
  decisions_per_s: number;
  /** Each run's rate, in the order run. */
  runs: number[];
  decisions: number;
  /** The median run's time. */
  ms: number;
  /** decide.lua alone (bench/lua.ts), no Kafka. */
  lua_decisions_per_s: number;
}

const luaOnly = async (joins: number, units: number, env: NodeJS.ProcessEnv) => {
  const out = await run(process.execPath, ['bench/lua.ts', String(joins), String(units)], env);
  return JSON.parse(out.trim().split('\n').pop() ?? '') as { decisions_per_second: number };
};

interface AloneOptions {
  rt: Runtime;
  tag: string;
  joins: number;
  units: number;
  env: NodeJS.ProcessEnv;
  logDir: string;
  profile: boolean;
}

/**
 * The sequencer measured alone against the same Redis and Kafka, `runs` times (its rate moves several per cent
 * from run to run; the median is reported): each run puts `joins` join commands for a drop of `units` on a
 * partition of a fresh topic, then starts a sequencer process and times it from its first decision until every
 * command is decided and its decisions are on Kafka (acknowledged); its topics and Redis keys are deleted
 * after. Also runs bench/lua.ts (decide.lua alone).
 */
export async function measureSequencerAlone(o: AloneOptions & { runs: number; progress: (line: string) => void }): Promise<SequencerAlone> {
  const lua = await luaOnly(o.joins, o.units, o.env);
  const done: { decisions_per_s: number; decisions: number; ms: number }[] = [];
  for (let i = 1; i <= o.runs; i++) {
    const r = await drainOnce({ ...o, tag: `${o.tag}-${i}` });
    o.progress(`[sequencer alone ${i}/${o.runs}] ${r.decisions.toLocaleString('en-US')} decisions in ${r.ms} ms: ${r.decisions_per_s}/s`);
    done.push(r);
  }
  const median = [...done].sort((a, b) => a.decisions_per_s - b.decisions_per_s)[Math.floor(done.length / 2)]!;
  return { ...median, runs: done.map((r) => r.decisions_per_s), lua_decisions_per_s: lua.decisions_per_second };
}

async function drainOnce(o: AloneOptions) {
  const { rt } = o;
  const topics = {
    intents: `bench-seq-intents-${o.tag}`,
    decisions: `bench-seq-decisions-${o.tag}`,
    orderEvents: `bench-seq-order-events-${o.tag}`,
    deadLetters: `bench-seq-dead-${o.tag}`,
  };
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [
    { name: topics.intents, partitions: 1 },
    { name: topics.decisions, partitions: 1 },
    { name: topics.deadLetters, partitions: 1 },
  ]);
  const dropId = newId();
  const k = dropKeys(dropId);
  await initDropState(rt.redis, {
    drop_id: dropId,
    quantity: o.units,
    hold_seconds: 300,
    per_user_limit: 1,
    queue_limit: o.joins,
    starts_at: Date.now(),
    ends_at: null,
    partition: 0,
    status: 'open',
  });
  const producer = rt.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  for (let i = 0; i < o.joins; i += 2_000) {
    const messages = Array.from({ length: Math.min(2_000, o.joins - i) }, () => {
      const join: JoinCommand = {
        type: 'join',
        v: 1,
        drop_id: dropId,
        intent_id: newId(),
        user_id: newId(),
        quantity: 1,
        payment_method_id: 'pm_card_visa',
        shipping_address_id: newId(),
        at: Date.now(),
      };
      return { partition: 0, key: dropId, value: JSON.stringify(join) };
    });
    await producer.send({ topic: topics.intents, acks: -1, messages });
  }
  await producer.disconnect();

  const spec: EngineChildSpec = {
    role: 'sequencer',
    topics,
    groups: { sequencer: `bench-seq-${o.tag}`, worker: `bench-seq-worker-${o.tag}` },
  };
  const child = await startChild('sequencer-alone', {
    file: 'bench/engine-child.ts',
    env: { ...o.env, BENCH_CHILD: JSON.stringify(spec) },
    logDir: o.logDir,
    profile: o.profile,
  });
  const deadline = Date.now() + 120_000;
  let end = 0;
  while (Date.now() < deadline) {
    const [decided, pending] = await Promise.all([rt.redis.hget(k.state, 'decided_offset'), rt.redis.zcard(k.pending)]);
    if (Number(decided) >= o.joins - 1 && pending === 0) {
      end = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await child.stop();
  let first = Infinity;
  let decisions = 0;
  const stream = rt.redis.hscanStream(k.decisions, { count: 5_000 });
  for await (const chunk of stream as AsyncIterable<string[]>) {
    for (let i = 1; i < chunk.length; i += 2) {
      decisions++;
      first = Math.min(first, (JSON.parse(chunk[i]!) as { at: number }).at);
    }
  }
  await deleteDropKeys(rt.redis, dropId);
  await admin.deleteTopics({ topics: [topics.intents, topics.decisions, topics.deadLetters] }).catch(() => undefined);
  await admin.disconnect();
  if (end === 0) throw new Error(`the sequencer did not decide ${o.joins} joins within 120 s (see ${child.log})`);
  const ms = end - first;
  return { decisions_per_s: perSecond(decisions, ms), decisions, ms };
}
