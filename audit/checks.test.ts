import { describe, expect, it } from 'vitest';
import type { Decision } from '../contracts/index.ts';
import { audit, type AuditInput } from './checks.ts';

const id = (n: number) => `018f0000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const d = (n: number, status: Decision['status'], seq: number): Decision => ({
  type: 'decision',
  v: 1,
  drop_id: id(0),
  intent_id: id(n),
  user_id: id(1000 + n),
  quantity: 1,
  status,
  seq,
  offset: n,
  at: 0,
});

/** A settled two-unit drop with three intents: offsets 1 and 2 bought, 3 sold out. */
function clean(): AuditInput {
  const kafka = [d(1, 'reserved', 1), d(2, 'reserved', 2), d(3, 'waitlisted', 3), d(1, 'purchased', 4), d(2, 'purchased', 5), d(3, 'sold_out', 6)];
  const latest = [kafka[3]!, kafka[4]!, kafka[5]!];
  return {
    drop: { drop_id: id(0), quantity: 2 },
    redis: { stock: 0, held: 0, purchased: 2, status: 'sold_out', decisions: latest, users: 3 },
    kafka,
    refused: [],
    pg: {
      intents: latest.map((x) => ({ intent_id: x.intent_id, status: x.status, decision_seq: x.seq, quantity: 1 })),
      orders: [1, 2].map((n) => ({ order_id: id(500 + n), intent_id: id(n), status: 'paid' })),
      payments: [1, 2].map((n) => ({ intent_id: id(n), status: 'succeeded', amount_cents: 100, refunded_cents: 0 })),
      negativeInventoryRows: 0,
    },
    charges: new Map([
      [id(1), 1],
      [id(2), 1],
    ]),
  };
}

describe('audit', () => {
  it('finds nothing wrong with a clean drop', () => {
    const r = audit(clean());
    expect(r.violations).toEqual([]);
    expect(r.counts).toMatchObject({ purchased: 2, sold_out: 1, confirmed_orders: 2 });
  });

  it('reports an oversold drop', () => {
    const a = clean();
    a.redis.purchased = 3;
    expect(audit(a).violations).toContainEqual(expect.stringMatching(/!= quantity 2/));
  });

  it('reports a decision that differs between Redis, Kafka and PostgreSQL', () => {
    const a = clean();
    a.pg.intents[2]!.status = 'waitlisted';
    a.kafka.pop();
    const v = audit(a).violations;
    expect(v).toContainEqual(expect.stringMatching(/redis sold_out#6, kafka waitlisted#3/));
    expect(v).toContainEqual(expect.stringMatching(/redis sold_out, postgres waitlisted/));
  });

  it('reports a unit given past an earlier intent', () => {
    const a = clean();
    a.kafka = [d(1, 'sold_out', 1), d(2, 'reserved', 2), d(3, 'reserved', 3), d(2, 'purchased', 4), d(3, 'purchased', 5)];
    a.redis.decisions = [a.kafka[0]!, a.kafka[3]!, a.kafka[4]!];
    expect(audit(a).violations).toContainEqual(expect.stringMatching(/offset 2 got a unit while the earlier one at 1 sold out/));
  });

  it('reports a decision PostgreSQL refused, settled or not, until a later one of the intent reaches it', () => {
    const a = clean();
    Object.assign(a.redis, { stock: 1, purchased: 1, status: 'open' }); // not settled
    a.refused = [{ decision: d(3, 'waitlisted', 3), reason: 'refused by the database: a foreign key' }];
    expect(audit(a).violations).toEqual([]); // the intent's row has seq 6
    a.pg.intents.pop();
    expect(audit(a).violations).toContainEqual(
      `intent ${id(3)}: decision waitlisted#3 never reached postgres (refused by the database: a foreign key)`,
    );
  });

  it('counts an intent that left the pre-queue apart from the places of the drop', () => {
    const a = clean();
    a.pg.intents.push({ intent_id: id(9), status: 'cancelled', decision_seq: 0, quantity: 1 });
    expect(audit(a).violations).toEqual([]);
    a.redis.users = 4;
    expect(audit(a).violations).toContainEqual('1 of 4 intents are not final');
  });

  it('reports a double charge and a kept payment without an order', () => {
    const a = clean();
    a.charges!.set(id(1), 2);
    a.pg.orders.pop();
    const v = audit(a).violations;
    expect(v).toContainEqual(expect.stringMatching(/charged 2 times/));
    expect(v).toContainEqual(expect.stringMatching(/payment kept without a confirmed order/));
  });
});
