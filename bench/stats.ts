/** The value below which `p` percent of `sorted` (ascending) lie; NaN for none. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** p50, p99 and max of some durations, rounded to 0.1 ms. */
export function latencySummary(values: readonly number[]): { p50: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { p50: r(percentile(s, 50)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? NaN) };
}

/** Counts per fixed-width time bucket, from `start`; bucket i covers [start + i·width, start + (i+1)·width). */
export class Buckets {
  readonly counts: number[] = [];
  constructor(
    readonly start: number,
    readonly width: number,
  ) {}

  add(at: number, n = 1): void {
    const i = Math.max(0, Math.floor((at - this.start) / this.width));
    while (this.counts.length <= i) this.counts.push(0);
    this.counts[i]! += n;
  }

  /** The highest count in `window` consecutive buckets, as a rate per second. */
  peakRate(window = 1): number {
    let best = 0;
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      sum += this.counts[i]!;
      if (i >= window) sum -= this.counts[i - window]!;
      best = Math.max(best, sum);
    }
    return (best * 1000) / (this.width * Math.min(window, Math.max(1, this.counts.length)));
  }
}

/** `n` per second over `ms` milliseconds, rounded; 0 when no time passed. */
export const perSecond = (n: number, ms: number): number => (ms > 0 ? Math.round((n * 1000) / ms) : 0);
