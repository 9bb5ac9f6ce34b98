import type { AvailabilityRun } from './checkout-availability.ts';
import type { CheckoutBenchArgs } from './checkout-plan.ts';
import { STEPS, type ShopperRun } from './checkout-shoppers.ts';
import { machine } from './report.ts';
import { latencySummary } from './stats.ts';

/** What the run's database says after it settled. */
export interface CheckoutVerdict {
  /** Units sold beyond a product's stock, summed over products. */
  oversold: number;
  /** Captured payments of checkouts with no order (nor refund). */
  paid_without_order: number;
  /** What `npm run audit -- checkouts` finds. */
  audit_violations: string[];
}

/** The aims on this machine at 64 concurrent shoppers. */
const AIMS = { complete_p99_ms: 500, availability_p99_ms: 5 };

/** Every figure of a run, as the JSON results hold them. */
export function summarizeCheckout(o: {
  args: CheckoutBenchArgs;
  command: string;
  date: string;
  run: ShopperRun;
  availability: AvailabilityRun;
  /** A bare Hono GET in the edge's process on the same connections: this machine's floor for any answer. */
  ceiling: AvailabilityRun;
  verdict: CheckoutVerdict;
  cpu: { shoppers: Record<string, number>; availability: Record<string, number> };
}) {
  const { args, run } = o;
  const seconds = (run.endedAt - run.startedAt) / 1000;
  const steps = Object.fromEntries(
    STEPS.map((s) => {
      const { p50, p99 } = latencySummary(run.latencies[s]);
      return [s, { requests: run.latencies[s].length, p50_ms: p50, p99_ms: p99 }];
    }),
  ) as Record<(typeof STEPS)[number], { requests: number; p50_ms: number; p99_ms: number }>;
  const figures = {
    command: o.command,
    date: o.date,
    machine: machine(),
    shoppers: args.shoppers,
    concurrency: args.concurrency,
    products: args.products,
    hot_products: args.hot,
    seed: args.seed,
    orders: run.ordered,
    sold_out: run.soldOut,
    failed: run.failed,
    duration_s: Math.round(seconds * 10) / 10,
    orders_per_s: seconds > 0 ? Math.round((run.ordered / seconds) * 10) / 10 : 0,
    steps,
    availability: o.availability,
    availability_ceiling: o.ceiling,
    ...o.verdict,
    cpu_seconds: o.cpu,
  };
  return {
    ...figures,
    aims: {
      complete_p99_ms: { aim: AIMS.complete_p99_ms, measured: steps.complete.p99_ms, met: steps.complete.p99_ms < AIMS.complete_p99_ms },
      availability_p99_ms: { aim: AIMS.availability_p99_ms, measured: o.availability.p99_ms, met: o.availability.p99_ms < AIMS.availability_p99_ms },
    },
  };
}
export type CheckoutResults = ReturnType<typeof summarizeCheckout>;

const n = (x: number) => x.toLocaleString('en-US');
const cpu = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The run as a two-column table. */
export function checkoutTable(r: CheckoutResults): string {
  const rows: [string, string][] = [
    ['shoppers / at once / products (hot)', `${n(r.shoppers)} / ${r.concurrency} / ${n(r.products)} (${r.hot_products})`],
    ['orders / sold out / failed', `${n(r.orders)} / ${n(r.sold_out)} / ${n(Object.values(r.failed).reduce((a, b) => a + b, 0))}`],
    ['orders/s', `${r.orders_per_s} (${r.duration_s} s)`],
    ...STEPS.map((s): [string, string] => [`${s} p50 / p99 ms`, `${r.steps[s].p50_ms} / ${r.steps[s].p99_ms} (${n(r.steps[s].requests)} requests)`]),
    ['availability req/s, p50 / p99 ms', `${n(r.availability.requests_per_s)}, ${r.availability.p50_ms} / ${r.availability.p99_ms}`],
    [
      'bare Hono GET req/s, p50 / p99 ms',
      `${n(r.availability_ceiling.requests_per_s)}, ${r.availability_ceiling.p50_ms} / ${r.availability_ceiling.p99_ms}`,
    ],
    ['oversold / paid without order', `${r.oversold} / ${r.paid_without_order}`],
    ['audit violations', String(r.audit_violations.length)],
    ['CPU s, shoppers', cpu(r.cpu_seconds.shoppers)],
    ['CPU s, availability', cpu(r.cpu_seconds.availability)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
