import { cpus, totalmem, type as osType, release } from 'node:os';
import type { BaselineRun } from './baseline.ts';
import { renderChart, type Series } from './chart.ts';
import type { BenchArgs } from './cli.ts';
import type { DropRun } from './drop-run.ts';
import type { JoinsAloneRun } from './joins-alone.ts';
import type { SequencerAlone } from './sequencer-alone.ts';
import { latencySummary, perSecond } from './stats.ts';

export interface Ceilings {
  hono_post_per_s: number;
  hono_get_per_s: number;
  redis_lua_per_s: number;
  redis_lua_pipelined_per_s: number;
  /** CPU seconds each process used while the bare POSTs ran, and while the GETs ran. */
  cpu_seconds_hono_post: Record<string, number>;
  cpu_seconds_hono_get: Record<string, number>;
  /** A join POST answered by Node's HTTP server with a constant 410: the most any answer to a join can do. */
  node_post_per_s: number;
  cpu_seconds_node_post: Record<string, number>;
}

/** The sold-out drop joined again by every buyer once it has settled: the fast path with the engine's work done. */
export interface RejectionsAlone {
  rejections_per_s: number;
  /** Answers by status (every one should be 410). */
  answers: Record<string, number>;
  cpu_seconds: Record<string, number>;
}

export const machine = () => ({
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? 'unknown',
  memory_gib: Math.round(totalmem() / 2 ** 30),
  os: `${osType()} ${release()}`,
  node: process.version,
});

const max = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!);
  return m;
};

/** Every figure of the run, under the keys of the issue (and more). */
export function summarize(o: {
  args: BenchArgs;
  command: string;
  date: string;
  drop: DropRun;
  baseline?: BaselineRun | undefined;
  ceilings?: Ceilings | undefined;
  sequencer?: SequencerAlone | undefined;
  joinsAlone?: JoinsAloneRun | undefined;
  rejectionsAlone?: RejectionsAlone | undefined;
}) {
  const { drop, baseline, ceilings, sequencer, joinsAlone, rejectionsAlone, args } = o;
  const c = drop.crowd;
  const open = c.startedAt;
  const n = args.buyers;
  let unanswered = 0;
  for (let i = 0; i < n; i++) if (drop.finalAt[i] === 0) unanswered++;
  const at = (status: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) if (c.status[i] === status) times.push(c.answeredAt[i]!);
    return times.sort((a, b) => a - b);
  };
  const joinsAt = at(202);
  const rejectedAt = at(410);
  const joinLat = latencySummary(c.latencies.get(202) ?? []);
  const rejLat = latencySummary(c.latencies.get(410) ?? []);
  const q = args.units;
  const counts = drop.audit.counts;
  const purchased = drop.outcomes.purchased ?? 0;
  const oversold = Math.max(0, purchased - q, (counts.confirmed_orders ?? 0) - q, purchased + (counts.reserved ?? 0) - q);
  const lastAnswer = unanswered === 0 ? max(drop.finalAt) - open : NaN;
  const soldOut = drop.soldOutAt;
  const sockets = drop.sockets;
  const told = sockets.filter((s) => s[1] !== null);
  // A socket opened after the sell-out is told on connecting; it is counted from when it opened.
  const within = soldOut === undefined ? 0 : told.filter((s) => s[1]! <= Math.max(soldOut, s[0] ?? soldOut) + 1_000).length;
  const lastTold = soldOut === undefined || told.length === 0 ? NaN : Math.max(...told.map((s) => s[1]!)) - soldOut;
  const seqEnd = drop.samples[drop.samples.length - 1]?.seq ?? 0;
  let peak = 0;
  for (let i = 0, j = 0; i < drop.samples.length; i++) {
    while (drop.samples[i]!.at - drop.samples[j]!.at > 1_000) j++;
    const dt = drop.samples[i]!.at - drop.samples[j]!.at;
    if (dt >= 500) peak = Math.max(peak, perSecond(drop.samples[i]!.seq - drop.samples[j]!.seq, dt));
  }

  const b = baseline?.crowd;
  let bUnanswered = 0;
  if (b) for (let i = 0; i < n; i++) if (b.status[i] !== 201 && b.status[i] !== 410) bUnanswered++;
  const bLast = b ? max(b.answeredAt) - b.startedAt : NaN;
  const joinsPerS = perSecond(joinsAt.length, (joinsAt.at(-1) ?? open) - open);
  const rejectionsPerS = perSecond(rejectedAt.length, (rejectedAt.at(-1) ?? 0) - (rejectedAt[0] ?? 0));
  const r = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
  const shareOf = (a: number | undefined, b: number | undefined) => r(share(a ?? null, b ?? null) ?? NaN, 3);

  return {
    buyers: n,
    units: q,
    purchased,
    oversold,
    unanswered,
    last_answer_ms: r(lastAnswer, 0),
    baseline_last_answer_ms: r(bLast, 0),
    speedup_vs_baseline: r(bLast / lastAnswer, 2),
    joins_per_s: joinsPerS,
    rejections_per_s: rejectionsPerS,
    hono_post_per_s: ceilings?.hono_post_per_s ?? null,
    hono_get_per_s: ceilings?.hono_get_per_s ?? null,
    decisions_per_s: sequencer?.decisions_per_s ?? null,
    redis_lua_pipelined_per_s: ceilings?.redis_lua_pipelined_per_s ?? null,
    sockets: sockets.filter((s) => s[0] !== null).length,
    sockets_told_within_1s: within,
    join_p99_ms: joinLat.p99,
    // More than the issue asks for.
    join_p50_ms: joinLat.p50,
    joins: joinsAt.length,
    rejections: rejectedAt.length,
    // The best second of rejections: the fast path once the engine's work after the sell-out is done.
    rejections_per_s_peak: c.series.get(410)?.bestSecond() ?? 0,
    rejection_p50_ms: rejLat.p50,
    rejection_p99_ms: rejLat.p99,
    other_answers: n - joinsAt.length - rejectedAt.length,
    joins_share_of_hono_post: shareOf(joinsPerS, ceilings?.hono_post_per_s),
    joins_alone_per_s: joinsAlone?.joins_per_s ?? null,
    joins_alone_p50_ms: joinsAlone?.join_p50_ms ?? null,
    joins_alone_p99_ms: joinsAlone?.join_p99_ms ?? null,
    joins_alone_other_answers: joinsAlone?.other_answers ?? null,
    joins_alone_share_of_hono_post: shareOf(joinsAlone?.joins_per_s, ceilings?.hono_post_per_s),
    cpu_seconds_joins_alone: joinsAlone?.cpu_seconds ?? null,
    cpu_seconds_hono_post: ceilings?.cpu_seconds_hono_post ?? null,
    cpu_seconds_hono_get: ceilings?.cpu_seconds_hono_get ?? null,
    node_post_per_s: ceilings?.node_post_per_s ?? null,
    node_post_share_of_hono_get: shareOf(ceilings?.node_post_per_s, ceilings?.hono_get_per_s),
    cpu_seconds_node_post: ceilings?.cpu_seconds_node_post ?? null,
    rejections_share_of_hono_get: shareOf(rejectionsPerS, ceilings?.hono_get_per_s),
    rejections_share_of_node_post: shareOf(rejectionsPerS, ceilings?.node_post_per_s),
    rejections_alone_per_s: rejectionsAlone?.rejections_per_s ?? null,
    rejections_alone_share_of_hono_get: shareOf(rejectionsAlone?.rejections_per_s, ceilings?.hono_get_per_s),
    rejections_alone_share_of_node_post: shareOf(rejectionsAlone?.rejections_per_s, ceilings?.node_post_per_s),
    rejections_alone_answers: rejectionsAlone?.answers ?? null,
    cpu_seconds_rejections_alone: rejectionsAlone?.cpu_seconds ?? null,
    crowd_ms: c.endedAt - c.startedAt,
    sold_out_ms: soldOut === undefined ? null : soldOut - open,
    outcomes: drop.outcomes,
    drop_decisions: seqEnd,
    drop_decisions_per_s_peak: peak,
    decisions_per_s_runs: sequencer?.runs ?? null,
    lua_decisions_per_s: sequencer?.lua_decisions_per_s ?? null,
    sequencer_alone_ms: sequencer?.ms ?? null,
    redis_lua_per_s: ceilings?.redis_lua_per_s ?? null,
    queue_limit: args.queueLimit,
    sockets_asked: args.sockets,
    sockets_failed: sockets.filter((s) => s[3] !== null).length,
    sockets_open_at_sold_out: soldOut === undefined ? 0 : sockets.filter((s) => s[0] !== null && s[0] <= soldOut).length,
    sockets_told: told.length,
    sockets_last_told_after_sold_out_ms: r(lastTold, 0),
    baseline_purchased: b ? baseline.orders : null,
    baseline_oversold: baseline ? Math.max(0, baseline.orders - q) + Math.max(0, -baseline.available) : null,
    baseline_unanswered: b ? bUnanswered : null,
    baseline_per_s: b ? perSecond(n, b.endedAt - b.startedAt) : null,
    audit_violations: drop.audit.violations.slice(0, 20),
    settled: drop.settled,
    connections: args.connections,
    machine: machine(),
    command: o.command,
    date: o.date,
  };
}
export type Results = ReturnType<typeof summarize>;

const share = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** Each target of the issue with the figure reached; null when the run did not measure it. */
export function targets(r: Results) {
  const s1 = share(r.joins_per_s, r.hono_post_per_s);
  const s2 = share(r.rejections_per_s, r.hono_get_per_s);
  return [
    { target: 'every buyer answered within 10 s of opening', value: `${r.last_answer_ms ?? '—'} ms`, met: r.unanswered === 0 && r.last_answer_ms !== null && r.last_answer_ms <= 10_000 },
    { target: '0 oversold', value: `${r.oversold}`, met: r.oversold === 0 && (r.baseline_oversold ?? 0) === 0 },
    { target: `${r.units} purchases`, value: `${r.purchased}`, met: r.purchased === r.units },
    { target: '≥ 5× faster than the row-lock baseline', value: `${r.speedup_vs_baseline ?? '—'}×`, met: r.speedup_vs_baseline === null ? null : r.speedup_vs_baseline >= 5 },
    { target: 'joins ≥ 60% of bare Hono POST', value: pct(s1), met: s1 === null ? null : s1 >= 0.6 },
    { target: 'rejections ≥ 80% of bare Hono GET', value: pct(s2), met: s2 === null ? null : s2 >= 0.8 },
    { target: 'sequencer ≥ 50,000 decisions/s alone', value: `${r.decisions_per_s ?? '—'}/s`, met: r.decisions_per_s === null ? null : r.decisions_per_s >= 50_000 },
    { target: `${r.sockets_asked} sockets, each told within 1 s of sold out`, value: `${r.sockets_told_within_1s} of ${r.sockets} held, ${r.sockets_open_at_sold_out} open at sold out`, met: r.sockets >= r.sockets_asked && r.sockets_told_within_1s === r.sockets_asked },
  ];
}

const num = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? '—' : `${v.toLocaleString('en-US')}${unit}`);

/** The table printed at the end of a run (and pasted into README's Benchmarks section). */
export function table(r: Results): string {
  const rows: [string, string][] = [
    ['buyers / units / sockets / queue limit', `${num(r.buyers)} / ${num(r.units)} / ${num(r.sockets_asked)} / ${num(r.queue_limit)}`],
    ['joins accepted (202)', `${num(r.joins)} at ${num(r.joins_per_s, '/s')} (${pct(r.joins_share_of_hono_post)} of bare Hono POST)`],
    ['join latency p50 / p99', `${num(r.join_p50_ms, ' ms')} / ${num(r.join_p99_ms, ' ms')}`],
    ['join path alone (no sequencer, sockets, payments): joins, p50 / p99', `${num(r.joins_alone_per_s, '/s')} (${pct(r.joins_alone_share_of_hono_post)} of bare Hono POST), ${num(r.joins_alone_p50_ms, ' ms')} / ${num(r.joins_alone_p99_ms, ' ms')}`],
    ['rejections (410: line full, sold out)', `${num(r.rejections)} at ${num(r.rejections_per_s, '/s')} (${pct(r.rejections_share_of_hono_get)} of bare Hono GET, ${pct(r.rejections_share_of_node_post)} of the raw Node answer); best second ${num(r.rejections_per_s_peak, '/s')}`],
    ['rejections alone (the settled drop joined again)', `${num(r.rejections_alone_per_s, '/s')} (${pct(r.rejections_alone_share_of_hono_get)} of bare Hono GET, ${pct(r.rejections_alone_share_of_node_post)} of the raw Node answer)`],
    ['rejection latency p50 / p99', `${num(r.rejection_p50_ms, ' ms')} / ${num(r.rejection_p99_ms, ' ms')}`],
    ['sold out after', num(r.sold_out_ms, ' ms')],
    ['last buyer answered after', num(r.last_answer_ms, ' ms')],
    ['unanswered buyers', num(r.unanswered)],
    ['purchases completed', num(r.purchased)],
    ['oversold units', num(r.oversold)],
    ['decisions in the drop (peak rate)', `${num(r.drop_decisions)} (${num(r.drop_decisions_per_s_peak, '/s')})`],
    ['sequencer alone, median of runs (runs; decide.lua alone)', `${num(r.decisions_per_s, '/s')} (${r.decisions_per_s_runs?.map((x) => num(x)).join(', ') ?? '—'}; ${num(r.lua_decisions_per_s, '/s')})`],
    ['sockets held / open at sold out', `${num(r.sockets)} / ${num(r.sockets_open_at_sold_out)}`],
    ['sockets told final status (≤ 1 s after sold out or opening)', `${num(r.sockets_told)} (${num(r.sockets_told_within_1s)})`],
    ['sold out → last socket told', num(r.sockets_last_told_after_sold_out_ms, ' ms')],
    ['row-lock baseline: last answer', num(r.baseline_last_answer_ms, ' ms')],
    ['row-lock baseline: purchases / oversold / unanswered', `${num(r.baseline_purchased)} / ${num(r.baseline_oversold)} / ${num(r.baseline_unanswered)}`],
    ['speed-up vs row-lock baseline', r.speedup_vs_baseline === null ? '—' : `${r.speedup_vs_baseline}×`],
    ['ceiling: bare Hono POST / GET', `${num(r.hono_post_per_s, '/s')} / ${num(r.hono_get_per_s, '/s')}`],
    ['ceiling: a join POST answered by raw Node (constant 410)', `${num(r.node_post_per_s, '/s')} (${pct(r.node_post_share_of_hono_get)} of bare Hono GET)`],
    ['ceiling: redis-benchmark Lua decrement plain / pipelined', `${num(r.redis_lua_per_s, '/s')} / ${num(r.redis_lua_pipelined_per_s, '/s')}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = ['| metric | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k.padEnd(w)} | ${v} |`)];
  lines.push('', '| target | reached | met |', '|---|---|---|');
  for (const t of targets(r)) lines.push(`| ${t.target} | ${t.value} | ${t.met === null ? 'not measured' : t.met ? 'yes' : 'NO'} |`);
  return lines.join('\n');
}

/** Joins, rejections and decisions per second and the queue depth over time, as an SVG document. */
export function chart(r: Results, drop: DropRun): string {
  const open = drop.crowd.startedAt;
  const rate = (status: number, name: string, color: string): Series => {
    const b = drop.crowd.series.get(status);
    return { name, color, points: (b?.counts ?? []).map((v, i) => [((i + 0.5) * b!.width) / 1000, (v * 1000) / b!.width]) };
  };
  const s = drop.samples;
  const decisions: Series = {
    name: 'decisions/s',
    color: '#2a7',
    points: s.slice(1).map((x, i) => [(x.at - open) / 1000, perSecond(x.seq - s[i]!.seq, x.at - s[i]!.at)]),
  };
  const depth: Series = {
    name: 'queue depth',
    color: '#c80',
    right: true,
    points: s.map((x) => [(x.at - open) / 1000, Math.max(0, x.last_offset - x.decided_offset)]),
  };
  const markers = [
    ...(r.sold_out_ms !== null ? [{ at: r.sold_out_ms / 1000, label: 'sold out' }] : []),
    ...(r.last_answer_ms !== null ? [{ at: r.last_answer_ms / 1000, label: 'last answer' }] : []),
  ];
  return renderChart({
    title: `Drop: ${r.buyers.toLocaleString('en-US')} buyers for ${r.units.toLocaleString('en-US')} units, ${r.sockets.toLocaleString('en-US')} sockets`,
    subtitle: `${r.date} · ${r.machine.cpus} × ${r.machine.cpu_model} · last answer ${r.last_answer_ms ?? '—'} ms · row-lock baseline ${r.baseline_last_answer_ms ?? '—'} ms`,
    series: [rate(202, 'joins accepted/s', '#1f5fbf'), rate(410, 'rejections/s', '#b33'), decisions, depth],
    markers,
    leftLabel: 'per second',
    rightLabel: 'intents waiting for a decision',
  });
}
