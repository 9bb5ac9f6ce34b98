import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropKeys } from '../contracts/index.ts';
import { startReadyChild } from './child-process.ts';
import { settledAudit, startEngine, type Engine } from './engine.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';

let e: Engine;
const children = new Set<ChildProcess>();
beforeAll(async () => {
  e = await startEngine({ inProcess: false, paymentLatencyMs: 30 });
}, 60_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await e.close();
});

/** Starts a sequencer or an order worker as a real child process; resolves once it runs. */
const child = (role: 'sequencer' | 'worker'): Promise<ChildProcess> =>
  startReadyChild(
    'test/engine-child.ts',
    role,
    { STRIPE_API_BASE: e.stripe.url, ENGINE_CHILD: JSON.stringify({ role, names: e.names }) },
    children,
  );

async function kill(p: ChildProcess) {
  p.kill('SIGKILL');
  if (p.exitCode === null && p.signalCode === null) await once(p, 'exit');
}

describe('a drop whose sequencer and order worker are killed midway', () => {
  it('neither oversells nor charges twice, and every buyer gets a final answer', async () => {
    const drop = await createTestDrop(e.rt, { quantity: 50, partition: 11, topic: e.names.topics.intents });
    const [sequencer, worker] = await Promise.all([child('sequencer'), child('worker')]);
    const buyers = await createTestUsers(e.rt, 1_500);
    const joining = Promise.all(
      buyers.map(async (b) =>
        e.call('POST', `/api/v1/drops/${drop.drop_id}/intents`, await e.tokenFor(b.user_id), {
          payment_method_id: 'pm_card_visa',
          shipping_address_id: b.address_id,
        }),
      ),
    );
    // Kill both once the drop is under way: some units paid for, most not yet.
    const purchased = async () => Number(await e.rt.redis.hget(dropKeys(drop.drop_id).state, 'purchased'));
    await expect.poll(purchased, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(1);
    const purchasedAtKill = await purchased();
    await Promise.all([kill(sequencer), kill(worker)]);
    const joins = await joining;
    await Promise.all([child('sequencer'), child('worker')]);

    const report = await settledAudit(e, drop.drop_id, 120_000);
    expect(purchasedAtKill).toBeLessThan(50);
    expect(report.violations).toEqual([]);
    expect(report.counts).toMatchObject({ purchased: 50, confirmed_orders: 50 });
    const stats = e.stripe.stats();
    expect(stats.paymentIntentsSucceeded - stats.refunds).toBe(50);
    const admitted = joins.filter((j) => j.status === 202).length;
    expect(admitted + joins.filter((j) => j.status === 410).length).toBe(1_500);
  }, 240_000);
});
