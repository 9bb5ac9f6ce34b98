import { expect, it } from 'vitest';
import { signedIn } from './helpers.ts';
import { createTestDrop, createTestUsers } from './fixtures.ts';
import { engineForFile, type Engine } from './engine.ts';

let engine: Engine;
engineForFile((started) => (engine = started));

const metrics = async () => (await fetch(`${engine.edge.url}/metrics`)).text();
/** The value of one series in Prometheus text, or undefined. */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

it('exposes joins by result, decisions by status, saga steps and each open drop’s figures', async () => {
  const drop = await createTestDrop(engine.rt, { quantity: 5, topic: engine.names.topics.intents });
  const users = await createTestUsers(engine.rt, 3);
  for (const u of users) {
    const r = await engine.call('POST', `/api/v1/drops/${drop.drop_id}/intents`, await engine.tokenFor(u.user_id), {
      payment_method_id: 'pm_card_visa',
      shipping_address_id: u.address_id,
    });
    expect(r.status).toBe(202);
  }
  const d = `drop_id="${drop.drop_id}"`;
  await expect
    .poll(async () => value(await metrics(), `flashline_drop_purchased{${d}}`), { timeout: 20_000, interval: 250 })
    .toBe(3);
  const text = await metrics();
  expect(value(text, `flashline_joins_total{${d},result="queued"}`)).toBe(3);
  expect(value(text, `flashline_join_duration_seconds_count{${d}}`)).toBe(3);
  expect(value(text, `flashline_drop_remaining{${d}}`)).toBe(2);
  expect(value(text, `flashline_drop_held{${d}}`)).toBe(0);
  expect(value(text, `flashline_drop_queue_depth{${d}}`)).toBe(0);
  expect(value(text, `flashline_drop_sockets{${d}}`)).toBe(0);
  expect(value(text, `flashline_drop_intents{${d}}`)).toBe(3);
  expect(value(text, `flashline_drop_decisions{${d}}`)).toBeGreaterThanOrEqual(3);
  expect(value(text, 'flashline_decisions_total{status="reserved"}')).toBeGreaterThanOrEqual(3);
  expect(value(text, 'flashline_saga_step_duration_seconds_count{step="charge",outcome="continue"}')).toBeGreaterThanOrEqual(3);
  expect(text).toMatch(/^flashline_consumer_lag_messages\{group="test-order-worker-[^"]+",topic="test-decisions-[^"]+",partition="\d+"\} \d+$/m);
  expect(text).toMatch(/^flashline_outbox_lag_seconds [\d.e-]+$/m);
  expect(text).toContain('http_request_duration_seconds_bucket');
});

it('streams a drop’s live panel to an admin, and keeps its last audit', async () => {
  const drop = await createTestDrop(engine.rt, { quantity: 1, topic: engine.names.topics.intents });
  const admin = await signedIn(engine.rt, 'admin');
  const customer = await signedIn(engine.rt);
  const headers = { authorization: `Bearer ${admin.token}` };
  const live = `${engine.edge.url}/api/v1/admin/drops/${drop.drop_id}/live`;
  expect((await fetch(live, { headers: { authorization: `Bearer ${customer.token}` } })).status).toBe(403);
  expect((await fetch(`${engine.edge.url}/api/v1/admin/drops/00000000-0000-7000-8000-000000000000/live`, { headers })).status).toBe(404);

  const res = await fetch(live, { headers });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  let text = '';
  while ((text.match(/^data: /gm) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value as Uint8Array);
  await reader.cancel();
  const samples = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  expect(samples[0]).toMatchObject({ status: 'open', quantity: 1, remaining: 1, held: 0, purchased: 0, queue_depth: 0 });
  expect(samples[1]!.at as number).toBeGreaterThan(samples[0]!.at as number);

  const none = await engine.call('GET', `/api/v1/admin/drops/${drop.drop_id}/audit`, admin.token);
  expect(none.body).toEqual({ audit: null });
  const ran = await engine.call('POST', `/api/v1/admin/drops/${drop.drop_id}/audit`, admin.token);
  expect(ran.status).toBe(200);
  expect(ran.body.audit).toMatchObject({ report: { violations: [], counts: { quantity: 1 } } });
  const last = await engine.call('GET', `/api/v1/admin/drops/${drop.drop_id}/audit`, admin.token);
  expect(last.body).toEqual(ran.body);
});
