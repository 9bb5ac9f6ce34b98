import { newId } from '../contracts/index.ts';
import { AppError, type Sql, type Tx } from '../platform/index.ts';
import { announce, lockOrder, moveOrder } from './moves.ts';
import { recordRefund, type Refunds } from './refunds.ts';
import { restock } from './restock.ts';
import { restockPlan, returnProblems, returnRefundCents, type BoughtLine, type Units } from './return-math.ts';
import { returnStatus } from './transitions.ts';

/** A line of a return request. */
export interface ReturnLine extends Units {
  reason: string;
}

/** A return as its answers show it. */
export interface ReturnView {
  return_id: string;
  order_id: string;
  status: 'requested' | 'received';
  lines: ReturnLine[];
  refund: { refund_id: string; amount_cents: number; currency: string; status: string } | null;
}

const bought = (tx: Tx, orderId: string) =>
  tx<BoughtLine[]>`
    select line_no, product_id, warehouse_id, quantity, unit_price_cents::float8 as unit_price_cents
    from order_items where order_id = ${orderId} order by line_no`;

/** The lines of the order's returns: every return's, or only received ones but `except`. */
const returnedLines = (tx: Tx, orderId: string, o: { receivedOnly: boolean; except?: string }) =>
  tx<ReturnLine[]>`
    select l.product_id, l.quantity, l.reason from return_lines l join returns r using (return_id)
    where r.order_id = ${orderId} and (${!o.receivedOnly} or r.status = 'received')
      and r.return_id is distinct from ${o.except ?? null}::uuid`;

/** A return with its lines and refund, as stored. */
async function viewOf(db: Sql | Tx, returnId: string): Promise<ReturnView | undefined> {
  const [r] = await db<{ return_id: string; order_id: string; status: 'requested' | 'received' }[]>`
    select return_id, order_id, status from returns where return_id = ${returnId}`;
  if (!r) return undefined;
  const [lines, refunds] = await Promise.all([
    db<ReturnLine[]>`select product_id, quantity, reason from return_lines where return_id = ${returnId} order by product_id`,
    db<NonNullable<ReturnView['refund']>[]>`
      select refund_id, amount_cents::float8 as amount_cents, trim(currency) as currency, status
      from refunds where return_id = ${returnId}`,
  ]);
  return { ...r, lines: [...lines], refund: refunds[0] ?? null };
}

/**
 * Returns: a shopper asks to send back units of a delivered order within the return window, never more than were
 * bought minus what earlier returns asked for; an admin receives them, which puts them back on sale in the
 * warehouses they left from, moves the order to partially_returned or returned and refunds their share of the
 * total (recordRefund, then the provider; the refund loop retries what the provider did not confirm).
 */
export function createReturns(d: { sql: Sql; refunds: Refunds; topic: string; windowDays: number }) {
  /** Throws not_found (not the owner's order), invalid (a product not bought), conflict (too many, not delivered, window closed). */
  async function request(userId: string, orderId: string, lines: ReturnLine[]): Promise<ReturnView> {
    const returnId = await d.sql.begin(async (tx) => {
      const o = await lockOrder(tx, orderId);
      if (!o || o.user_id !== userId) throw new AppError('not_found', 'no such order');
      if (o.status !== 'delivered' && o.status !== 'partially_returned') {
        throw new AppError('conflict', `only a delivered order can be returned; this one is ${o.status}`, {
          details: { reason: 'not_delivered', status: o.status },
        });
      }
      const [window] = await tx<{ open: boolean; closes_at: Date }[]>`
        select max(created_at) + make_interval(days => ${d.windowDays}) > now() as open,
               max(created_at) + make_interval(days => ${d.windowDays}) as closes_at
        from order_events where order_id = ${orderId} and type = 'delivered'`;
      if (!window?.open) {
        throw new AppError('conflict', `the return window of ${d.windowDays} days after delivery has closed`, {
          details: { reason: 'return_window_closed', closed_at: window?.closes_at?.toISOString() ?? null },
        });
      }
      const problems = returnProblems(await bought(tx, orderId), await returnedLines(tx, orderId, { receivedOnly: false }), lines);
      if (problems.length > 0) {
        const errors = problems.map(({ field, message }) => ({ field, message }));
        if (problems.some((p) => p.kind === 'not_bought')) throw new AppError('invalid', 'request body has invalid fields', { details: { errors } });
        throw new AppError('conflict', 'more units than are left to return', { details: { reason: 'too_many', errors } });
      }
      const return_id = newId();
      await tx`insert into returns (return_id, order_id, status) values (${return_id}, ${orderId}, 'requested')`;
      await tx`insert into return_lines ${tx(lines.map((l) => ({ return_id, ...l })))}`;
      await announce(tx, d.topic, { type: 'return.requested', order_id: orderId, user_id: o.user_id, return_id, lines, at: Date.now() });
      return return_id;
    });
    return (await viewOf(d.sql, returnId))!;
  }

  /** Receiving a return twice changes nothing more. Throws not_found for an unknown return. */
  async function receive(returnId: string): Promise<ReturnView> {
    const [known] = await d.sql<{ order_id: string }[]>`select order_id from returns where return_id = ${returnId}`;
    if (!known) throw new AppError('not_found', 'no such return');
    const refundId = await d.sql.begin(async (tx) => {
      const o = (await lockOrder(tx, known.order_id))!;
      const [r] = await tx<{ status: string }[]>`select status from returns where return_id = ${returnId} for update`;
      if (r!.status === 'received') {
        const [open] = await tx<{ refund_id: string }[]>`
          select refund_id from refunds where return_id = ${returnId} and status <> 'succeeded'`;
        return open?.refund_id ?? null;
      }
      const lines = await bought(tx, o.order_id);
      const earlier = await returnedLines(tx, o.order_id, { receivedOnly: true, except: returnId });
      const returning = await tx<ReturnLine[]>`select product_id, quantity, reason from return_lines where return_id = ${returnId}`;
      const plan = restockPlan(lines, earlier, returning);
      await restock(tx, plan);
      const units = (xs: readonly Units[]) => xs.reduce((s, x) => s + x.quantity, 0);
      const back = units(earlier) + units(returning);
      const [earlierRefunds] = await tx<{ cents: number }[]>`
        select coalesce(sum(amount_cents), 0)::float8 as cents from refunds where order_id = ${o.order_id} and return_id is not null`;
      const amount = returnRefundCents(o, plan, back >= units(lines), earlierRefunds!.cents);
      await tx`update returns set status = 'received', received_at = now() where return_id = ${returnId}`;
      await moveOrder(tx, o, returnStatus(units(lines), back), { return_id: returnId });
      const refundId = await recordRefund(tx, { order_id: o.order_id, amount_cents: amount, currency: o.currency, reason: 'returned', return_id: returnId });
      await announce(tx, d.topic, {
        type: 'return.received',
        order_id: o.order_id,
        user_id: o.user_id,
        return_id: returnId,
        lines: [...returning],
        refund: { amount_cents: amount, currency: o.currency },
        at: Date.now(),
      });
      return refundId;
    });
    if (refundId !== null) await d.refunds.settle(refundId);
    return (await viewOf(d.sql, returnId))!;
  }

  return { request, receive };
}
