import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDatabase, migrate, readMigrations } from '../db/index.ts';
import { runBaseline, type BaselineRun } from './baseline.ts';
import { RAW_JOIN_PATH } from './bare.ts';
import { redisLuaCeiling } from './ceilings.ts';
import { startChild, type Child } from './children.ts';
import { cleanUp, keepAnalyzed, vacuum } from './cleanup.ts';
import { cpuSnapshot, cpuUsage } from './cpu.ts';
import { parseArgs } from './cli.ts';
import { runCrowd } from './crowd.ts';
import { runDrop } from './drop-run.ts';
import { measureJoinsAlone, type JoinsAloneRun } from './joins-alone.ts';
import type { EngineChildReady, EngineChildSpec } from './engine-child.ts';
import { chart, summarize, table, targets, type Ceilings, type RejectionsAlone } from './report.ts';
import { startBenchRun } from './run.ts';
import { measureSequencerAlone, type SequencerAlone } from './sequencer-alone.ts';
import { buyBody, createAdmin, createBuyers, createDrop, createStock, createTopics, joinPath, signTokens } from './setup.ts';
import { startSockets, type Sockets } from './sockets.ts';
import { perSecond } from './stats.ts';

/**
 * `npm run bench:drop -- [--buyers N] [--units U] [--sockets W] [--out FILE]`: N buyers for U units through the
 * public HTTP API while W of them wait on WebSockets, the same buyers against a synchronous row-lock path, and
 * the ceilings of the machine, in one run. The engine (edge, sequencer, order worker, stripe-local) and the
 * socket clients run as child processes of their own on the run's own topics; the load generator runs here.
 * Prints a table, writes the figures as JSON and a chart as SVG, cleans up, and exits 1 when a unit was
 * oversold or a buyer got no final answer.
 */
const { args, command, date, tag, names, logDir, rt, database, step } = await startBenchRun('bench:drop', parseArgs);
const log = (line: string) => console.log(line);
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  // Access logs off (documented in README): a JSON line per request would be measured as much as the engine.
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  // Every request comes from 127.0.0.1: the per-address join limit would refuse the crowd.
  JOIN_LIMIT_PER_IP: '1000000000',
};
/** Runs of the sequencer alone; the median is reported. */
const SEQUENCER_RUNS = 3;
/** The tables a drop or the baseline grows while it runs: analyzed every second meanwhile (see keepAnalyzed). */
const GROWING_TABLES = ['drop_intents', 'payments', 'orders', 'order_items', 'order_events', 'outbox', 'reservations', 'saga_leases'];
const ENGINE_TABLES = ['users', 'addresses', 'drop_intents', 'payments', 'orders', 'order_items', 'order_events', 'outbox', 'reservations', 'inventory', 'products', 'drops', 'saga_leases'];
const children: Child[] = [];
let sockets: Sockets | undefined;
const dropIds: string[] = [];
const productIds: string[] = [];
let exitCode = 1;

const own = () =>
  new Map<number, string>([
    [process.pid, 'load generator'],
    ...children.map((c): [number, string] => [c.pid, c.name]),
    ...(sockets?.pids ?? []).map((pid): [number, string] => [pid, 'socket clients']),
  ]);
/** CPU seconds of each process (grouped) since a snapshot. */
const cpuSince = (before: ReturnType<typeof cpuSnapshot>) => cpuUsage(before, cpuSnapshot(), own(), database);

const engineChild = async (role: EngineChildSpec['role'], name: string = role, topics = names.topics) => {
  const spec: EngineChildSpec = { role, topics, groups: names.groups };
  const child = await startChild<EngineChildReady>(name, {
    file: 'bench/engine-child.ts',
    env: { ...childEnv, BENCH_CHILD: JSON.stringify(spec) },
    logDir,
    profile: args.profile.includes(name),
  });
  children.push(child);
  return child;
};

try {
  step(`run ${tag}: ${args.buyers.toLocaleString('en-US')} buyers, ${args.units} units, ${args.sockets} sockets, ${args.connections} connections`);
  step('migrating and vacuuming the engine tables (this PostgreSQL may run without autovacuum), creating topics, buyers, stock, tokens');
  await ensureDatabase(rt.config.DATABASE_URL);
  await migrate(rt.sql, await readMigrations());
  await vacuum(rt.sql, ENGINE_TABLES);
  await createTopics(rt.kafka, names.topics);
  const buyers = await createBuyers(rt.sql, tag, args.buyers);
  const adminId = await createAdmin(rt.sql, tag);
  const dropStock = await createStock(rt.sql, tag, 'drop', args.units);
  const rowlockStock = await createStock(rt.sql, tag, 'rowlock', args.units);
  const aloneStock = await createStock(rt.sql, tag, 'alone', args.units);
  productIds.push(dropStock.product_id, rowlockStock.product_id, aloneStock.product_id);
  const tokens = await signTokens(
    buyers.map((b) => b.user_id),
    rt.config.JWT_SECRET,
  );
  const [adminToken] = await signTokens([adminId], rt.config.JWT_SECRET, 'admin');
  await vacuum(rt.sql, ['users', 'addresses']); // fresh statistics after the bulk load

  // First, while no engine process runs beside it: the sequencer measured alone.
  let sequencer: SequencerAlone | undefined;
  if (!args.skip.includes('sequencer')) {
    step(`sequencer alone: ${args.buyers.toLocaleString('en-US')} joins on a fresh partition, ${SEQUENCER_RUNS} runs`);
    sequencer = await measureSequencerAlone({
      rt,
      tag,
      joins: args.buyers,
      units: args.units,
      env: childEnv,
      logDir,
      profile: args.profile.includes('sequencer-alone'),
      runs: SEQUENCER_RUNS,
      progress: log,
    });
    step(`  median ${sequencer.decisions_per_s}/s through Kafka (${sequencer.lua_decisions_per_s}/s decide.lua alone)`);
  }

  step('starting stripe-local and the edge');
  const stripe = await engineChild('stripe');
  childEnv.STRIPE_API_BASE = stripe.ready.url;
  const edge = await engineChild('edge');
  const edgeUrl = edge.ready.url!;

  // One crowd of every buyer (distinct tokens, the crowd's autocannon settings): its rate, answers and CPU.
  const crowdRate = async (url: string, method: 'GET' | 'POST', path: string) => {
    const before = cpuSnapshot();
    const r = await runCrowd({
      url,
      method,
      path,
      tokens,
      connections: args.connections,
      ...(method === 'POST' ? { body: buyBody(buyers) } : {}),
    });
    return { perS: perSecond(args.buyers, r.endedAt - r.startedAt), counts: r.counts, cpu: cpuSince(before).seconds };
  };

  let ceilings: Ceilings | undefined;
  if (!args.skip.includes('ceilings')) {
    step('ceiling: bare Hono POST and GET, and a raw Node answer to a join; same tokens and autocannon settings');
    const post = await crowdRate(edge.ready.bareUrl!, 'POST', '/bare');
    const get = await crowdRate(edge.ready.bareUrl!, 'GET', '/bare');
    const raw = await crowdRate(edge.ready.rawUrl!, 'POST', RAW_JOIN_PATH);
    step(`  bare Hono POST ${post.perS}/s, GET ${get.perS}/s, raw Node answer to a join ${raw.perS}/s`);
    step(`  CPU seconds of the POSTs: ${JSON.stringify(post.cpu)}; of the GETs: ${JSON.stringify(get.cpu)}; of the raw answers: ${JSON.stringify(raw.cpu)}`);
    step('  redis-benchmark on the Lua decrement');
    const lua = await redisLuaCeiling(rt.redis, rt.config.REDIS_URL, tag);
    ceilings = {
      hono_post_per_s: post.perS,
      hono_get_per_s: get.perS,
      redis_lua_per_s: lua.plain,
      redis_lua_pipelined_per_s: lua.pipelined,
      cpu_seconds_hono_post: post.cpu,
      cpu_seconds_hono_get: get.cpu,
      node_post_per_s: raw.perS,
      cpu_seconds_node_post: raw.cpu,
    };
    step(`  redis Lua decrement ${lua.plain}/s plain, ${lua.pipelined}/s pipelined`);
  }

  let joinsAlone: JoinsAloneRun | undefined;
  if (!args.skip.includes('joins')) {
    step(`the join path alone: ${args.buyers.toLocaleString('en-US')} joins, a line that holds them all, no sequencer, sockets or payments`);
    const alone = await engineChild('edge', 'edge-alone', { ...names.topics, intents: names.topics.joinsAlone });
    const before = cpuSnapshot();
    const r = await measureJoinsAlone({
      edgeUrl: alone.ready.url!,
      adminToken: adminToken!,
      productId: aloneStock.product_id,
      units: args.units,
      buyers,
      tokens,
      connections: args.connections,
      onDrop: (id) => dropIds.push(id),
      progress: log,
    });
    joinsAlone = { ...r, cpu_seconds: cpuSince(before).seconds };
    await alone.stop();
    step(`  ${r.joins_per_s}/s (p50 ${r.join_p50_ms} ms, p99 ${r.join_p99_ms} ms); CPU seconds: ${JSON.stringify(joinsAlone.cpu_seconds)}`);
  }

  step('starting the sequencer, the order worker and the socket clients');
  const drop = await createDrop(edgeUrl, adminToken!, dropStock.product_id, args.units, args.queueLimit);
  step(`  drop ${drop.drop_id}: the line holds ${args.queueLimit.toLocaleString('en-US')} units' worth of intents`);
  const dropId = drop.drop_id;
  dropIds.push(dropId);
  await engineChild('sequencer');
  await engineChild('worker');
  sockets = await startSockets(args.sockets, { logDir, env: childEnv });

  step(`the drop: ${args.buyers.toLocaleString('en-US')} buyers join at once`);
  const cpuBefore = cpuSnapshot();
  const cpuPhases: Record<string, Record<string, number>> = {};
  const analyzing = keepAnalyzed(rt.sql, GROWING_TABLES);
  const dropRun = await runDrop({
    rt,
    edgeUrl,
    stripeUrl: stripe.ready.url!,
    decisionsTopic: names.topics.decisions,
    deadLettersTopic: names.topics.deadLetters,
    dropId,
    buyers,
    tokens,
    connections: args.connections,
    sockets,
    progress: log,
    onPhase: (phase) => {
      const u = cpuSince(cpuBefore);
      cpuPhases[phase] = u.seconds;
      const until = { 'sold out': 'the drop sold out', crowd: 'every buyer had an HTTP answer', settled: 'the drop settled' }[phase];
      step(`  CPU seconds until ${until}: ${JSON.stringify(u.seconds)}`);
      if (u.topOthers.length > 0) step(`  other load on the machine: ${u.topOthers.join('; ')}`);
    },
  });
  await analyzing.stop();

  const cpuDrop = cpuSince(cpuBefore);
  step(`  CPU seconds during the drop: ${JSON.stringify(cpuDrop.seconds)}`);
  if (cpuDrop.topOthers.length > 0) step(`  other load on the machine: ${cpuDrop.topOthers.join('; ')}`);

  let rejectionsAlone: RejectionsAlone | undefined;
  if (!args.skip.includes('rejections')) {
    step('rejections alone: every buyer joins the sold-out drop once more, now that it has settled');
    const r = await crowdRate(edgeUrl, 'POST', joinPath(dropId));
    rejectionsAlone = { rejections_per_s: r.perS, answers: Object.fromEntries(r.counts), cpu_seconds: r.cpu };
    step(`  ${r.perS}/s, answers ${JSON.stringify(rejectionsAlone.answers)}; CPU seconds: ${JSON.stringify(r.cpu)}`);
  }

  let baseline: BaselineRun | undefined;
  let cpuBaseline: ReturnType<typeof cpuUsage> | undefined;
  if (!args.skip.includes('baseline')) {
    step('the row-lock baseline: the same buyers, one synchronous UPDATE … WHERE available_count > 0 each');
    const before = cpuSnapshot();
    const analyzingBaseline = keepAnalyzed(rt.sql, GROWING_TABLES);
    baseline = await runBaseline({ rt, edgeUrl, stock: rowlockStock, buyers, tokens, connections: args.connections, progress: log });
    await analyzingBaseline.stop();
    cpuBaseline = cpuSince(before);
    step(`  CPU seconds during the baseline: ${JSON.stringify(cpuBaseline.seconds)}`);
  }

  const results = {
    ...summarize({ args, command, date, drop: dropRun, baseline, ceilings, sequencer, joinsAlone, rejectionsAlone }),
    cpu_seconds_drop: { ...cpuPhases, with_audit: cpuDrop.seconds },
    cpu_seconds_baseline: cpuBaseline?.seconds ?? null,
    other_load: { drop: cpuDrop.topOthers, baseline: cpuBaseline?.topOthers ?? [] },
  };
  const out = args.out;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...results, targets: targets(results) }, null, 2)}\n`);
  const svg = out.replace(/\.json$/, '') + '.svg';
  writeFileSync(svg, chart(results, dropRun));
  log(`\n${table(results)}\n`);
  log(`machine: ${results.machine.cpus} × ${results.machine.cpu_model}, ${results.machine.memory_gib} GiB, ${results.machine.os}, Node ${results.machine.node}`);
  log(`command: ${command}\ndate:    ${date}\nresults: ${out}\nchart:   ${svg}`);
  if (results.audit_violations.length > 0) log(`audit violations:\n  ${results.audit_violations.join('\n  ')}`);
  const failed = results.oversold > 0 || (results.baseline_oversold ?? 0) > 0 || results.unanswered > 0;
  if (failed) log(`FAILED: ${results.oversold} oversold, ${results.unanswered} buyers without a final answer`);
  exitCode = failed ? 1 : 0;
} catch (err) {
  console.error('bench failed:', err);
} finally {
  step('cleaning up');
  await sockets?.close().catch(() => undefined);
  // Stop taking requests first, then the consumers, then payments.
  const order = ['edge', 'sequencer', 'worker', 'stripe'];
  for (const c of [...children].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))) {
    await c.stop().catch(() => undefined);
  }
  const failures =
    process.env.BENCH_NO_CLEANUP === '1'
      ? [`left in place (BENCH_NO_CLEANUP): run ${tag}, drops ${dropIds.join(', ')}`]
      : await cleanUp({ sql: rt.sql, redis: rt.redis, kafka: rt.kafka, tag, names, dropIds, productIds });
  for (const f of failures) console.error(`clean-up: ${f}`);
  const keep = args.profile.length > 0 || exitCode !== 0 || process.env.BENCH_KEEP_LOGS === '1';
  if (!keep) rmSync(logDir, { recursive: true, force: true });
  else log(`logs${args.profile.length > 0 ? ' and CPU profiles' : ''}: ${logDir}`);
  await rt.redis.quit();
  await rt.sql.end({ timeout: 5 });
}
process.exit(exitCode);
