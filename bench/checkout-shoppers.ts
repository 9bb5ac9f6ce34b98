import { randomUUID } from 'node:crypto';

/** The timed steps of a shopper, each a request through the public API. */
export const STEPS = ['cart_add', 'begin', 'patch', 'complete'] as const;
export type Step = (typeof STEPS)[number];

export interface Shopper {
  token: string;
  address_id: string;
  /** The cart to fill: product ids and units. */
  cart: { product_id: string; quantity: number }[];
}

export interface ShopperRun {
  startedAt: number;
  endedAt: number;
  /** Shoppers who got an order, who found (what was left of) their cart sold out, who failed otherwise. */
  ordered: number;
  soldOut: number;
  /** Failures by step and status, such as `complete 503`. */
  failed: Record<string, number>;
  /** Milliseconds of each request, by step. */
  latencies: Record<Step, number[]>;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Takes every shopper through the public API, `concurrency` at a time (the next starts when one finishes): adds
 * each line to the cart, starts a checkout, and when lines cannot be had drops them and starts once more, sets the
 * address and an option (every third express), and pays with a test card at the total shown. Resolves when all
 * have finished.
 */
export async function runShoppers(o: {
  url: string;
  shoppers: readonly Shopper[];
  concurrency: number;
  progress?: (done: number, run: ShopperRun) => void;
}): Promise<ShopperRun> {
  const run: ShopperRun = {
    startedAt: Date.now(),
    endedAt: 0,
    ordered: 0,
    soldOut: 0,
    failed: {},
    latencies: { cart_add: [], begin: [], patch: [], complete: [] },
  };
  const fail = (what: string) => (run.failed[what] = (run.failed[what] ?? 0) + 1);

  const call = async (s: Shopper, method: string, path: string, body?: unknown, step?: Step): Promise<Reply> => {
    const headers: Record<string, string> = { authorization: `Bearer ${s.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (step === 'begin' || step === 'complete') headers['idempotency-key'] = randomUUID();
    const started = performance.now();
    const res = await fetch(`${o.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (step) run.latencies[step].push(performance.now() - started);
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };

  const problemsOf = (r: Reply) => (r.body.problems ?? []) as { product_id: string }[];

  async function shop(s: Shopper, i: number): Promise<void> {
    for (const line of s.cart) {
      const r = await call(s, 'POST', '/cart/items', line, 'cart_add');
      if (r.status !== 200) return void fail(`cart_add ${r.status}`);
    }
    let begun = await call(s, 'POST', '/checkouts', undefined, 'begin');
    if (begun.status === 409 && begun.body.reason === 'unavailable') {
      const gone = new Set(problemsOf(begun).map((p) => p.product_id));
      for (const id of gone) await call(s, 'DELETE', `/cart/items/${id}`);
      if (gone.size === s.cart.length) return void run.soldOut++;
      begun = await call(s, 'POST', '/checkouts', undefined, 'begin');
      if (begun.status === 409 && begun.body.reason === 'unavailable') return void run.soldOut++;
    }
    if (begun.status !== 201) return void fail(`begin ${begun.status}`);
    const id = begun.body.checkout_id as string;
    const option = i % 3 === 0 ? 'express' : 'standard';
    const patched = await call(s, 'PATCH', `/checkouts/${id}`, { shipping_address_id: s.address_id, shipping_option: option }, 'patch');
    if (patched.status !== 200) return void fail(`patch ${patched.status}`);
    const pay = (total: unknown) =>
      call(s, 'POST', `/checkouts/${id}/complete`, { payment_method_id: 'pm_card_visa', expected_total_cents: total }, 'complete');
    let paid = await pay(patched.body.total_cents);
    if (paid.status === 409 && paid.body.reason === 'total_changed') paid = await pay((paid.body.now as { total_cents: number }).total_cents);
    if (paid.status === 201) run.ordered++;
    else fail(`complete ${paid.status}`);
  }

  let next = 0;
  let done = 0;
  const ticker = o.progress && setInterval(() => o.progress!(done, run), 1_000);
  const lane = async () => {
    while (next < o.shoppers.length) {
      const i = next++;
      await shop(o.shoppers[i]!, i).catch((err: unknown) => fail(`error ${(err as Error).message}`));
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, o.shoppers.length) }, lane));
  } finally {
    clearInterval(ticker);
  }
  run.endedAt = Date.now();
  return run;
}
