import type { DropFigures } from '../admission/index.ts';

/** A histogram's cumulative buckets as Prometheus keeps them: observations at or below `le` seconds. */
export type Buckets = { le: number; count: number }[];

/** What the live panel reads at one moment: the drop's Redis figures and this edge's joins of it. */
export interface PanelReading {
  at: number;
  figures: DropFigures;
  /** Joins this edge answered for the drop so far, whatever the result. */
  joins: number;
  buckets: Buckets;
}

/** One point of a drop's live panel. */
export interface PanelSample {
  at: number;
  status: DropFigures['status'];
  quantity: number;
  remaining: number;
  held: number;
  purchased: number;
  queue_depth: number;
  sockets: number;
  intents: number;
  joins_per_s: number;
  decisions_per_s: number;
  /** Of the joins answered since the last reading; null when there were none. */
  p99_join_ms: number | null;
}

/**
 * The `q` quantile of the observations made between two readings of a histogram, in the histogram's unit,
 * interpolated within its bucket as Prometheus's histogram_quantile does; null with no observation between them.
 * A quantile in the open top bucket is the highest finite bound.
 */
export function quantileBetween(before: Buckets, after: Buckets, q: number): number | null {
  const prior = new Map(before.map((b) => [b.le, b.count]));
  const delta = [...after].sort((a, b) => a.le - b.le).map((b) => ({ le: b.le, count: b.count - (prior.get(b.le) ?? 0) }));
  const total = delta.at(-1)?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const b of delta) {
    if (b.count >= rank) {
      if (b.le === Infinity) return lower;
      const inBucket = b.count - below;
      return inBucket <= 0 ? b.le : lower + ((b.le - lower) * (rank - below)) / inBucket;
    }
    lower = b.le;
    below = b.count;
  }
  return lower;
}

const perSecond = (from: number, to: number, ms: number) => (ms > 0 ? Math.max(0, ((to - from) * 1000) / ms) : 0);

/** The panel's point for a reading, its rates and p99 taken against the reading before (none on the first). */
export function panelSample(prev: PanelReading | undefined, cur: PanelReading): PanelSample {
  const f = cur.figures;
  const ms = prev === undefined ? 0 : cur.at - prev.at;
  const p99 = quantileBetween(prev?.buckets ?? [], cur.buckets, 0.99);
  return {
    at: cur.at,
    status: f.status,
    quantity: f.quantity,
    remaining: f.remaining,
    held: f.held,
    purchased: f.purchased,
    queue_depth: f.queue_depth,
    sockets: f.sockets,
    intents: f.intents,
    joins_per_s: prev === undefined ? 0 : perSecond(prev.joins, cur.joins, ms),
    decisions_per_s: prev === undefined ? 0 : perSecond(prev.figures.decisions, f.decisions, ms),
    p99_join_ms: p99 === null ? null : Math.round(p99 * 100_000) / 100,
  };
}
