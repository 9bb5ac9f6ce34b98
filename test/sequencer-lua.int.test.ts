import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decision,
  dropChannel,
  dropEvent,
  newId,
  type Decision,
  type DropCommand,
  type ReleaseReason,
} from '../contracts/index.ts';
import { createDecider, sequencerKeys, type Decider, type SequencedCommand } from '../sequencer/index.ts';
import { encodeCommands } from '../sequencer/protocol.ts';
import { loadDecideLua } from '../sequencer/script.ts';
import { createTestDrop, type TestDrop } from './fixtures.ts';
import { testRuntime } from './helpers.ts';

const rt = testRuntime();
let decider: Decider;
const drops: string[] = [];
const T0 = 1_750_000_000_123; // epoch ms, 13 digits

beforeAll(async () => {
  decider = await createDecider(rt.redis);
});
afterAll(async () => {
  for (const d of drops) await rt.redis.del(...Object.values(sequencerKeys(d)));
  await rt.redis.quit();
  await rt.sql.end();
});

/** A drop of its own and a log of hand-made commands for it, offsets counting from 0. */
async function dropLog(quantity: number, hold_seconds = 60) {
  const drop: TestDrop = await createTestDrop(rt, { quantity, hold_seconds });
  drops.push(drop.drop_id);
  let offset = 0;
  const base = { v: 1 as const, drop_id: drop.drop_id, at: T0 };
  const cmd = (command: DropCommand): SequencedCommand => ({ offset: offset++, command });
  return {
    drop,
    join: (quantity = 1, extra: { payment_method_id?: string; shipping_address_id?: string } = {}) =>
      cmd({ type: 'join', ...base, intent_id: newId(), user_id: newId(), quantity, ...extra }),
    rejoin: (j: SequencedCommand) => cmd({ ...j.command }),
    release: (intent_id: string, reason: ReleaseReason) =>
      cmd({ type: 'release', ...base, intent_id, reason }),
    purchase: (intent_id: string, order_id = newId()) =>
      cmd({ type: 'purchase', ...base, intent_id, order_id }),
    close: () => cmd({ type: 'close', ...base }),
  };
}

const idOf = (c: SequencedCommand) => (c.command as { intent_id: string }).intent_id;

/** One script call; every returned decision must satisfy the contract. Acks unless told not to. */
async function decide(
  drop: TestDrop,
  commands: SequencedCommand[],
  o: { now?: number; ack?: boolean; using?: Decider } = {},
) {
  const { drop_id: dropId, partition } = drop;
  const r = await (o.using ?? decider).decide({ dropId, partition, now: o.now ?? T0, commands });
  if (!r.ok) throw new Error(r.reason);
  const decisions = r.decisions.map((s) => decision.parse(JSON.parse(s)));
  if (o.ack !== false && r.decisions.length > 0) await decider.ack(drop.drop_id, r.seq);
  return { ...r, decisions, byIntent: new Map(decisions.map((d) => [d.intent_id, d])) };
}

async function state(drop: TestDrop) {
  const s = await rt.redis.hgetall(sequencerKeys(drop.drop_id).state);
  const n = (f: string) => Number(s[f]);
  return {
    status: s.status,
    stock: n('stock'),
    held: n('held'),
    purchased: n('purchased'),
    decided_offset: n('decided_offset'),
    seq: n('seq'),
  };
}

async function stored(drop: TestDrop): Promise<Map<string, Decision>> {
  const h = await rt.redis.hgetall(sequencerKeys(drop.drop_id).decisions);
  return new Map(Object.entries(h).map(([k, v]) => [k, decision.parse(JSON.parse(v))]));
}

const waitlist = (drop: TestDrop) => rt.redis.lrange(sequencerKeys(drop.drop_id).waitlist, 0, -1);
const statuses = (ds: Decision[]) => ds.map((d) => d.status);
const upTo = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

describe('decide.lua', () => {
  it('reserves until the stock is gone, then waitlists while holds exist', async () => {
    const l = await dropLog(3, 60);
    const extra = { payment_method_id: 'pm_card_"visa"', shipping_address_id: newId() };
    const joins = [l.join(), l.join(), l.join(), l.join(), l.join(1, extra)];
    const r = await decide(l.drop, joins);
    expect(statuses(r.decisions)).toEqual(['reserved', 'reserved', 'reserved', 'waitlisted', 'waitlisted']);
    const first = r.byIntent.get(idOf(joins[0]!))!;
    expect(first).toMatchObject({ drop_id: l.drop.drop_id, quantity: 1, offset: joins[0]!.offset, at: T0 });
    expect(first.user_id).toBe((joins[0]!.command as { user_id: string }).user_id);
    expect(first.hold_expires_at).toBe(T0 + 60_000);
    const last = r.byIntent.get(idOf(joins[4]!))!;
    expect(last).toMatchObject({ status: 'waitlisted', ...extra, offset: joins[4]!.offset });
    expect(last.hold_expires_at).toBeUndefined();
    const s = await state(l.drop);
    expect(s).toMatchObject({ status: 'open', stock: 0, held: 3, purchased: 0, decided_offset: 4 });
    expect(await waitlist(l.drop)).toEqual([idOf(joins[3]!), idOf(joins[4]!)]);
    expect(await stored(l.drop)).toEqual(r.byIntent);
  });

  it('gives a released unit to the head of the waitlist, then the next one', async () => {
    const l = await dropLog(2);
    const j = [l.join(), l.join(), l.join(), l.join(), l.join()];
    await decide(l.drop, j);
    const releases = [l.release(idOf(j[1]!), 'payment_failed'), l.release(idOf(j[3]!), 'cancelled')];
    const r = await decide(l.drop, releases, { now: T0 + 5 });
    expect(r.decisions.map((d) => [d.intent_id, d.status])).toEqual([
      [idOf(j[1]!), 'payment_failed'],
      [idOf(j[2]!), 'reserved'],
      [idOf(j[3]!), 'cancelled'],
    ]);
    expect(r.byIntent.get(idOf(j[2]!))!.hold_expires_at).toBe(T0 + 5 + 60_000);
    expect(await waitlist(l.drop)).toEqual([idOf(j[4]!)]);
    const r2 = await decide(l.drop, [l.release(idOf(j[0]!), 'expired')]);
    expect(r2.decisions.map((d) => [d.intent_id, d.status])).toEqual([
      [idOf(j[0]!), 'expired'],
      [idOf(j[4]!), 'reserved'],
    ]);
    expect(await state(l.drop)).toMatchObject({ stock: 0, held: 2, status: 'open' });
  });

  it('lists every hold by its expiry while its intent is reserved, in one call or across calls', async () => {
    const l = await dropLog(2);
    const holds = async () => {
      const flat = await rt.redis.zrange(sequencerKeys(l.drop.drop_id).holds, 0, -1, 'WITHSCORES');
      return Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, Number(flat[i + 1])]] : [])));
    };
    const [a, b, c, d] = [l.join(), l.join(), l.join(), l.join()];
    await decide(l.drop, [a, b, c, d]);
    expect(await holds()).toEqual({ [idOf(a)]: T0 + 60_000, [idOf(b)]: T0 + 60_000 });
    // b's unit goes to c, which is bought in the same call; a's hold expires and d gets the unit.
    await decide(l.drop, [l.release(idOf(b), 'expired'), l.purchase(idOf(c))], { now: T0 + 5 });
    expect(await holds()).toEqual({ [idOf(a)]: T0 + 60_000 });
    await decide(l.drop, [l.release(idOf(a), 'expired')], { now: T0 + 9 });
    expect(await holds()).toEqual({ [idOf(d)]: T0 + 9 + 60_000 });
    await decide(l.drop, [l.purchase(idOf(d))]);
    expect(await holds()).toEqual({});
  });

  it('sells a held unit once; a purchase after expiry gets the expired decision back', async () => {
    const l = await dropLog(2);
    const [a, b] = [l.join(), l.join()];
    await decide(l.drop, [a, b]);
    const order = newId();
    const r = await decide(l.drop, [l.purchase(idOf(a), order), l.release(idOf(b), 'expired')]);
    expect(r.byIntent.get(idOf(a))).toMatchObject({ status: 'purchased', order_id: order });
    expect(r.byIntent.get(idOf(a))!.hold_expires_at).toBeUndefined();
    const expired = r.byIntent.get(idOf(b))!;
    expect(expired.status).toBe('expired');
    const again = await decide(l.drop, [l.purchase(idOf(b)), l.purchase(idOf(a))]);
    expect(again.decisions).toEqual([expired, r.byIntent.get(idOf(a))]);
    expect(await state(l.drop)).toMatchObject({ stock: 1, held: 0, purchased: 1, status: 'open' });
  });

  it('tells the waitlist sold out, and the drop is sold out, when the last hold is bought', async () => {
    const l = await dropLog(2);
    const j = Array.from({ length: 6 }, () => l.join());
    await decide(l.drop, j);
    const r1 = await decide(l.drop, [l.purchase(idOf(j[0]!))]);
    expect(statuses(r1.decisions)).toEqual(['purchased']);
    const r2 = await decide(l.drop, [l.purchase(idOf(j[1]!)), l.join()]);
    expect(statuses(r2.decisions)).toEqual(['purchased', ...Array<string>(5).fill('sold_out')]);
    expect(await state(l.drop)).toMatchObject({ status: 'sold_out', stock: 0, held: 0, purchased: 2 });
    expect(await waitlist(l.drop)).toEqual([]);
  });

  it('reserves each waitlisted intent that fits once no hold is left, and sells out the rest', async () => {
    const l = await dropLog(3);
    const [a, x, b, c] = [l.join(1), l.join(2), l.join(3), l.join(1)];
    const r = await decide(l.drop, [a, x, b, c]);
    expect(statuses(r.decisions)).toEqual(['reserved', 'reserved', 'waitlisted', 'waitlisted']);
    const r2 = await decide(l.drop, [l.release(idOf(x), 'expired')]);
    expect(statuses(r2.decisions)).toEqual(['expired']); // head b wants 3, only 2 are free: strict FIFO
    const r3 = await decide(l.drop, [l.purchase(idOf(a))]);
    expect(r3.decisions.map((d) => [d.intent_id, d.status])).toEqual([
      [idOf(a), 'purchased'],
      [idOf(b), 'sold_out'],
      [idOf(c), 'reserved'],
    ]);
    expect(await state(l.drop)).toMatchObject({ status: 'open', stock: 1, held: 1, purchased: 1 });
  });

  it('walks a long waitlist in steps, and decides later commands only after the walk', async () => {
    const l = await dropLog(2);
    const j = Array.from({ length: 10 }, () => l.join());
    await decide(l.drop, j);
    const commands = [l.purchase(idOf(j[0]!)), l.purchase(idOf(j[1]!)), l.join()];
    const late = commands[2]!;
    const stepwise = await createDecider(rt.redis, { sweepMax: 3 });
    const r = await decide(l.drop, commands, { using: stepwise });
    expect(r.calls).toBe(3);
    expect(r.decisions.map((d) => [d.intent_id, d.status])).toEqual([
      [idOf(j[0]!), 'purchased'],
      [idOf(j[1]!), 'purchased'],
      ...j.slice(2).map((x) => [idOf(x), 'sold_out']),
      [idOf(late), 'sold_out'],
    ]);
    expect(r.decisions.map((d) => d.seq)).toEqual(upTo(11, 11));
    const after = await state(l.drop);
    expect(after).toMatchObject({ status: 'sold_out', stock: 0, held: 0, decided_offset: late.offset });
    expect(await rt.redis.hget(sequencerKeys(l.drop.drop_id).state, 'sweeping')).toBe('0');
  });

  it('keeps walking after it reserved, as one walk would', async () => {
    const l = await dropLog(3);
    const [a, x, b, c, d] = [l.join(1), l.join(2), l.join(3), l.join(1), l.join(1)];
    await decide(l.drop, [a, x, b, c, d]);
    await decide(l.drop, [l.release(idOf(x), 'expired')]); // 2 free, head b wants 3
    const stepwise = await createDecider(rt.redis, { sweepMax: 1 });
    const r = await decide(l.drop, [l.purchase(idOf(a))], { using: stepwise });
    expect(r.calls).toBe(3);
    expect(r.decisions.map((e) => [e.intent_id, e.status])).toEqual([
      [idOf(a), 'purchased'],
      [idOf(b), 'sold_out'],
      [idOf(c), 'reserved'],
      [idOf(d), 'reserved'],
    ]);
    expect(await state(l.drop)).toMatchObject({ stock: 0, held: 2, purchased: 1 });
  });

  it('resumes a walk a dead sequencer left unfinished before any later command', async () => {
    const l = await dropLog(1);
    const j = Array.from({ length: 6 }, () => l.join());
    await decide(l.drop, j);
    const k = sequencerKeys(l.drop.drop_id);
    const keys = [k.state, k.decisions, k.waitlist, k.pending, k.holds];
    const args = [l.drop.drop_id, String(T0), String(l.drop.partition), dropChannel(l.drop.drop_id), '2', '0'];
    // one call of a sequencer that died right after it: purchase, then the first 2 of 5 sold out
    const once = (await rt.redis.eval(await loadDecideLua(), keys.length, [
      ...keys,
      ...args,
      ...encodeCommands([l.purchase(idOf(j[0]!))]),
    ])) as unknown[];
    expect(once.slice(0, 6)).toEqual(['sold_out', 0, j.length, 9, 0, 1]);
    expect(await waitlist(l.drop)).toHaveLength(3);
    const r = await decide(l.drop, [l.join()]);
    expect(r.redelivered).toBe(3);
    expect(statuses(r.decisions)).toEqual(['purchased', ...Array<string>(6).fill('sold_out')]);
    expect(r.decisions.map((d) => d.seq)).toEqual(upTo(7, 7));
    expect(await waitlist(l.drop)).toEqual([]);
  });

  it('closes a drop: the waitlist and later joins are sold out, released units stay in stock', async () => {
    const l = await dropLog(1);
    const [a, b, c, d] = [l.join(), l.join(), l.join(), l.join()];
    await decide(l.drop, [a, b, c, d]);
    const stepwise = await createDecider(rt.redis, { sweepMax: 2 });
    const commands = [l.close(), l.join(), l.release(idOf(a), 'cancelled')];
    const r = await decide(l.drop, commands, { using: stepwise });
    expect(r.calls).toBe(2);
    expect(statuses(r.decisions)).toEqual(['sold_out', 'sold_out', 'sold_out', 'sold_out', 'cancelled']);
    expect(await state(l.drop)).toMatchObject({ status: 'ended', stock: 1, held: 0 });
    expect(await waitlist(l.drop)).toEqual([]);
  });

  it('answers a repeated join with its decision and changes nothing when a batch is replayed', async () => {
    const l = await dropLog(2);
    const j = [l.join(), l.join(), l.join()];
    const batch = [
      ...j,
      l.rejoin(j[2]!),
      l.purchase(idOf(j[0]!)),
      l.release(idOf(j[1]!), 'payment_failed'),
      l.join(),
    ];
    const first = await decide(l.drop, batch);
    const before = { s: await state(l.drop), d: await stored(l.drop), w: await waitlist(l.drop) };
    const again = await decide(l.drop, batch, { now: T0 + 1_000 });
    expect({ s: await state(l.drop), d: await stored(l.drop), w: await waitlist(l.drop) }).toEqual(before);
    // only the joins answer again, each with its current decision
    const joins = new Set([...j, batch[6]!].map(idOf));
    const answers = [...before.d.values()].filter((d) => joins.has(d.intent_id));
    expect(again.decisions).toEqual(answers.sort((x, y) => x.offset - y.offset));
    const third = first.decisions.filter((d) => d.intent_id === idOf(j[2]!));
    expect(statuses(third)).toEqual(['waitlisted', 'reserved']);
    // a join that comes again later (the edge was unsure) gets the same answer
    const later = await decide(l.drop, [l.rejoin(j[0]!)]);
    expect(later.decisions).toEqual([before.d.get(idOf(j[0]!))]);
    expect((await state(l.drop)).seq).toBe(before.s.seq);
  });

  it('returns decisions that were never acknowledged again, first, until they are', async () => {
    const l = await dropLog(5);
    const lost = await decide(l.drop, [l.join(), l.join()], { ack: false });
    const next = await decide(l.drop, [l.join()], { ack: false });
    expect(next.redelivered).toBe(2);
    expect(next.decisions.slice(0, 2)).toEqual(lost.decisions);
    expect(next.decisions).toHaveLength(3);
    await decider.ack(l.drop.drop_id, next.seq);
    const after = await decide(l.drop, [l.join()]);
    expect(after.redelivered).toBe(0);
    expect(after.decisions).toHaveLength(1);
    expect(await rt.redis.zcard(sequencerKeys(l.drop.drop_id).pending)).toBe(0);
  });

  it('numbers decisions with a strictly increasing seq', async () => {
    const l = await dropLog(3);
    const j = Array.from({ length: 8 }, () => l.join());
    const seqs: number[] = [];
    const batches = [
      j.slice(0, 4),
      j.slice(4),
      [l.release(idOf(j[0]!), 'expired'), l.purchase(idOf(j[1]!))],
      [l.close()],
    ];
    for (const batch of batches) {
      seqs.push(...(await decide(l.drop, batch)).decisions.map((d) => d.seq));
    }
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect((await state(l.drop)).seq).toBe(seqs.length);
  });

  it('publishes one drop event per call that matches the contract, with [] when nothing changed', async () => {
    const l = await dropLog(1);
    const sub = rt.redis.duplicate();
    const events: unknown[] = [];
    sub.on('message', (_c: string, m: string) => events.push(JSON.parse(m)));
    await sub.subscribe(dropChannel(l.drop.drop_id));
    const a = l.join();
    await decide(l.drop, [a, l.join()]);
    await decide(l.drop, [l.release(newId(), 'expired')]);
    await expect.poll(() => events.length).toBe(2);
    await sub.quit();
    const [e1, e2] = events.map((e) => dropEvent.parse(e));
    expect(e1).toMatchObject({ status: 'open', remaining: 0, decided_offset: 1 });
    expect(e1!.decisions.map((d) => d.status)).toEqual(['reserved', 'waitlisted']);
    expect(e2).toEqual({
      drop_id: l.drop.drop_id,
      status: 'open',
      remaining: 0,
      decided_offset: 2,
      decisions: [],
    });
  });

  it('refuses a drop without state, and commands from another partition than the drop’s', async () => {
    const l = await dropLog(1);
    const missing = await decider.decide({ dropId: newId(), partition: 0, now: T0, commands: [l.join()] });
    expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining('no state') as unknown });
    const partition = l.drop.partition + 1;
    const wrong = await decider.decide({ dropId: l.drop.drop_id, partition, now: T0, commands: [l.join()] });
    expect(wrong).toMatchObject({
      ok: false,
      reason: expect.stringContaining('belongs to partition') as unknown,
    });
    expect(await state(l.drop)).toMatchObject({ stock: 1, seq: 0, decided_offset: -1 });
  });
});
