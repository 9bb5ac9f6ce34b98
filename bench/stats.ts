/** The value below which `p` percent of `sorted` (ascending) lie; NaN for none. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** p50 and p99 of some durations, rounded to 0.1 ms. */
export function latencySummary(values: readonly number[]): { p50: number; p99: number } {
  const s = [...values].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { p50: r(percentile(s, 50)), p99: r(percentile(s, 99)) };
}

/** Counts per fixed-width time bucket, from `start`; bucket i covers [start + i·width, start + (i+1)·width). */
export class Buckets {
  readonly counts: number[] = [];
  readonly start: number;
  readonly width: number;

  constructor(start: number, width: number) {
    this.start = start;
    this.width = width;
  }

  add(at: number, n = 1): void {
    const i = Math.max(0, Math.floor((at - this.start) / this.width));
    while (this.counts.length <= i) this.counts.push(0);
    this.counts[i]! += n;
  }

  /** The most counted in any window of one second (whole buckets). */
  bestSecond(): number {
    const per = Math.round(1_000 / this.width);
    let best = 0;
    for (let i = 0, sum = 0; i < this.counts.length; i++) {
      sum += this.counts[i]! - (i >= per ? this.counts[i - per]! : 0);
      best = Math.max(best, sum);
    }
    return best;
  }
}

/** `n` per second over `ms` milliseconds, rounded; 0 when no time passed. */
export const perSecond = (n: number, ms: number): number => (ms > 0 ? Math.round((n * 1000) / ms) : 0);
