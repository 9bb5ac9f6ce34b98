import { auditDrop, pgProgress, type AuditReport } from '../audit/index.ts';
import { dropKeys, finalStatuses, type IntentStatus } from '../contracts/index.ts';
import { stripeFromConfig } from '../checkout/index.ts';
import type { Runtime } from '../platform/index.ts';
import { answeredLine, runCrowd, type CrowdResult } from './crowd.ts';
import { startSampler, type Sample } from './sampler.ts';
import { buyBody, joinPath, type Buyer } from './setup.ts';
import type { SocketRecord, Sockets } from './sockets.ts';

export type DropPhase = 'sold out' | 'crowd' | 'settled';

export interface DropRun {
  crowd: CrowdResult;
  samples: Sample[];
  /** Per buyer: epoch ms of the final answer (0: none). */
  finalAt: Float64Array;
  /** Final decisions by status. */
  outcomes: Record<string, number>;
  /** When the sequencer turned the drop sold out (epoch ms), if it did. */
  soldOutAt: number | undefined;
  sockets: SocketRecord[];
  audit: AuditReport;
  settled: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The drop itself: every buyer joins once through `POST /api/v1/drops/{id}/intents` (autocannon), the first
 * `sockets.wants()` admitted buyers open the waiting room, the drop's Redis state is sampled every 100 ms, and
 * the run waits until every admitted intent is final, the sockets are told and PostgreSQL has caught up.
 */
export async function runDrop(o: {
  rt: Runtime;
  edgeUrl: string;
  stripeUrl: string;
  decisionsTopic: string;
  deadLettersTopic: string;
  dropId: string;
  buyers: readonly Buyer[];
  tokens: readonly string[];
  connections: number;
  sockets: Sockets;
  progress: (line: string) => void;
  /** Called when the drop sells out (or ends), once every buyer has had an HTTP answer, and once it has settled. */
  onPhase?: (phase: DropPhase) => void;
}): Promise<DropRun> {
  const { rt, dropId } = o;
  const sampler = startSampler(rt.redis, dropId, 100, () => o.onPhase?.('sold out'));
  let counts: ReadonlyMap<number, number> = new Map();
  const show = async (phase: string, seconds: number) => {
    const s = sampler.latest();
    const sk = await o.sockets.progress().catch(() => undefined);
    o.progress(
      `[drop ${seconds.toFixed(1)}s ${phase}] ${answeredLine(counts, [202, 410])}` +
        (s
          ? ` | decided ${s.seq.toLocaleString('en-US')} · queue ${Math.max(0, s.last_offset - s.decided_offset)} · ` +
            `held ${s.held} · purchased ${s.purchased} · ${s.status}`
          : '') +
        (sk ? ` | sockets ${sk.asked} asked · ${sk.open} open · ${sk.told} told · ${sk.failed} failed` : ''),
    );
  };
  const crowd = await runCrowd({
    url: o.edgeUrl,
    method: 'POST',
    path: joinPath(dropId),
    tokens: o.tokens,
    body: buyBody(o.buyers),
    connections: o.connections,
    onAnswer: (_user, status, body) => {
      if (status === 202 && o.sockets.wants()) {
        const url = /"ws_url":"([^"]+)"/.exec(body)?.[1];
        if (url) o.sockets.add(url);
      }
    },
    progress: (c, seconds) => {
      counts = c;
      void show('crowd', seconds);
    },
  });
  counts = crowd.counts;
  o.onPhase?.('crowd');

  // Every admitted intent is final once the drop is sold out (or ended) with no hold and no unfinished walk.
  const deadline = Date.now() + 120_000;
  let settled = false;
  for (let tick = 0; Date.now() < deadline; tick++) {
    const s = sampler.latest();
    if (s && (s.status === 'sold_out' || s.status === 'ended') && s.held === 0 && !s.sweeping && s.decided_offset >= s.last_offset) {
      settled = true;
      break;
    }
    if (tick % 10 === 0) await show('settling', (Date.now() - crowd.startedAt) / 1000);
    await sleep(100);
  }
  o.onPhase?.('settled');
  const soldOutSample = sampler.samples.find((s) => s.status === 'sold_out');
  // Sockets still being told get a few seconds more.
  for (let i = 0; i < 50; i++) {
    const p = await o.sockets.progress();
    if (p.told + p.failed >= p.asked) break;
    await sleep(100);
  }
  await sampler.stop();

  // Final decisions by user, and when each was made.
  const index = new Map(o.buyers.map((b, i) => [b.user_id, i]));
  const decidedAt = new Float64Array(o.buyers.length);
  const outcomes: Record<string, number> = {};
  let lastPurchaseAt = 0;
  for await (const chunk of rt.redis.hscanStream(dropKeys(dropId).decisions, { count: 5_000 }) as AsyncIterable<string[]>) {
    for (let i = 1; i < chunk.length; i += 2) {
      const d = JSON.parse(chunk[i]!) as { user_id: string; status: IntentStatus; at: number };
      outcomes[d.status] = (outcomes[d.status] ?? 0) + 1;
      if (d.status === 'purchased') lastPurchaseAt = Math.max(lastPurchaseAt, d.at);
      const u = index.get(d.user_id);
      if (u !== undefined && finalStatuses.has(d.status)) decidedAt[u] = d.at;
    }
  }
  const finalAt = new Float64Array(o.buyers.length);
  for (let i = 0; i < finalAt.length; i++) {
    const st = crowd.status[i];
    if (st === 410) finalAt[i] = crowd.answeredAt[i]!;
    else if ((st === 202 || st === 200) && decidedAt[i]! > 0) finalAt[i] = Math.max(decidedAt[i]!, crowd.answeredAt[i]!);
  }
  // The sequencer call that made the last purchase is the one that turned the drop sold out.
  const soldOutAt = soldOutSample ? (lastPurchaseAt > 0 ? lastPurchaseAt : soldOutSample.at) : undefined;
  const report = await o.sockets.report();

  o.progress('[drop] waiting for PostgreSQL to catch up, then auditing');
  const auditReport = await settledAudit(o, Math.max(0, o.buyers.length - (crowd.counts.get(410) ?? 0)));
  return {
    crowd,
    samples: sampler.samples,
    finalAt,
    outcomes,
    soldOutAt,
    sockets: report.sockets,
    audit: auditReport,
    settled,
  };
}

/** The audit of the drop once PostgreSQL holds a final status for every admitted intent (or after 3 minutes). */
async function settledAudit(
  o: { rt: Runtime; dropId: string; decisionsTopic: string; deadLettersTopic: string; stripeUrl: string },
  admitted: number,
) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const row = await pgProgress(o.rt.sql, o.dropId);
    if (row.final >= admitted && row.pending === 0) break;
    await sleep(500);
  }
  return auditDrop({
    sql: o.rt.sql,
    redis: o.rt.redis,
    kafka: o.rt.kafka,
    decisionsTopic: o.decisionsTopic,
    deadLettersTopic: o.deadLettersTopic,
    dropId: o.dropId,
    stripe: stripeFromConfig({ STRIPE_API_BASE: o.stripeUrl, STRIPE_SECRET_KEY: 'sk_test_local' }),
  });
}
