import { answeredLine, runCrowd } from './crowd.ts';
import { buyBody, createDrop, joinPath, type Buyer } from './setup.ts';
import { latencySummary, perSecond } from './stats.ts';

export interface JoinsAlone {
  joins: number;
  joins_per_s: number;
  join_p50_ms: number;
  join_p99_ms: number;
  /** Answers other than 202. */
  other_answers: number;
}

/** The join path alone with the CPU seconds each process used meanwhile. */
export type JoinsAloneRun = JoinsAlone & { cpu_seconds: Record<string, number> };

/**
 * The join path by itself: every buyer joins a drop whose line holds them all, on an edge whose joins go to a
 * topic no sequencer reads, with no waiting sockets and no payments running. Each join does what it does in the
 * drop (token, body, admission script, address check, Kafka with the broker's acks, intent record, ticket) and
 * nothing else asks for the machine: the drop's join rate cannot be higher.
 */
export async function measureJoinsAlone(o: {
  edgeUrl: string;
  adminToken: string;
  productId: string;
  units: number;
  buyers: readonly Buyer[];
  tokens: readonly string[];
  connections: number;
  onDrop: (dropId: string) => void;
  progress: (line: string) => void;
}): Promise<JoinsAlone> {
  const drop = await createDrop(o.edgeUrl, o.adminToken, o.productId, o.units, o.buyers.length);
  o.onDrop(drop.drop_id);
  const c = await runCrowd({
    url: o.edgeUrl,
    method: 'POST',
    path: joinPath(drop.drop_id),
    tokens: o.tokens,
    body: buyBody(o.buyers),
    connections: o.connections,
    progress: (counts, seconds) => o.progress(`[joins alone ${seconds.toFixed(1)}s] ${answeredLine(counts, [202])}`),
  });
  const joined = c.counts.get(202) ?? 0;
  const lat = latencySummary(c.latencies.get(202) ?? []);
  return {
    joins: joined,
    joins_per_s: perSecond(joined, c.endedAt - c.startedAt),
    join_p50_ms: lat.p50,
    join_p99_ms: lat.p99,
    other_answers: o.buyers.length - joined,
  };
}
