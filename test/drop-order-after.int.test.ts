import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineWithConsumersForFile, type EngineWithConsumers } from './engine-consumers.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';
import { stockOf } from './order-fixtures.ts';

// A drop order after the drop: the whole engine (edge, sequencer, order worker with its relay) and the consumers of
// its order events, notifications and fulfillment (at 100,000 times real time: two days in under two seconds).
let e: EngineWithConsumers;
engineWithConsumersForFile((started) => (e = started));
const wait = { timeout: 60_000, interval: 200 };
const mail = () => e.mail();

describe('a drop order after the drop', () => {
  it('is confirmed once by email, cancelled with its unit back in inventory, or shipped and delivered with its emails', async () => {
    const drop = await createTestDrop(e.rt, { quantity: 2, partition: 5, topic: e.names.topics.intents });
    const buyers = await createTestUsers(e.rt, 2);
    const tokens = await Promise.all(buyers.map((b) => e.tokenFor(b.user_id)));
    for (const [i, b] of buyers.entries()) {
      const join = await e.call('POST', `/api/v1/drops/${drop.drop_id}/intents`, tokens[i]!, { payment_method_id: 'pm_card_visa', shipping_address_id: b.address_id });
      expect(join.status).toBe(202);
    }
    const orders = async () =>
      e.rt.sql<{ order_id: string; user_id: string; status: string }[]>`
        select o.order_id, o.user_id, o.status from orders o join drop_intents i using (intent_id) where i.drop_id = ${drop.drop_id}`;
    await expect.poll(async () => (await orders()).filter((o) => o.status === 'paid').length, wait).toBe(2);
    const byBuyer = new Map((await orders()).map((o) => [o.user_id, o.order_id]));
    const [keptId, cancelledId] = buyers.map((b) => byBuyer.get(b.user_id)!) as [string, string];
    await expect.poll(mail, wait).toEqual([`${keptId}.confirmation.eml`, `${cancelledId}.confirmation.eml`].sort());

    // The second buyer cancels before anything ships: refunded in full, the unit back in the drop's warehouse.
    const cancel = await e.call('POST', `/api/v1/orders/${cancelledId}/cancel`, tokens[1]!);
    expect(cancel.body).toMatchObject({ status: 'cancelled', refunds: [{ status: 'succeeded', amount: { amount_cents: 12_500 } }] });
    expect(await stockOf(e.rt, drop.product_id, drop.warehouse_id)).toBe(1);
    await expect.poll(async () => (await mail()).includes(`${cancelledId}.cancelled.eml`), wait).toBe(true);

    // Fulfillment starts late (from the beginning of the topic): a parcel for the paid order, none for the other.
    await e.startFulfillment();
    await expect.poll(async () => (await e.orderOf(tokens[0]!, keptId)).status, wait).toBe('delivered');
    const delivered = await e.orderOf(tokens[0]!, keptId);
    expect(delivered.timeline.map((t) => t.status)).toEqual(['placed', 'paid', 'shipped', 'delivered']);
    expect(delivered.shipments).toMatchObject([{ warehouse_id: drop.warehouse_id, status: 'delivered' }]);
    const parcel = delivered.shipments[0]!.shipment_id;
    await expect.poll(async () => (await mail()).filter((f) => f.startsWith(parcel)), wait).toEqual([`${parcel}.delivered.eml`, `${parcel}.shipped.eml`]);
    expect(await readFile(join(e.mailDir, `${parcel}.shipped.eml`), 'utf8')).toContain(delivered.shipments[0]!.tracking_number);
    expect((await e.orderOf(tokens[1]!, cancelledId)).shipments).toEqual([]);
    await expect.poll(async () => (await mail()).filter((f) => f.endsWith('.refund.eml')).length, wait).toBe(1);
    expect(e.stripe.stats().refunds).toBe(1);
  }, 120_000);
});
