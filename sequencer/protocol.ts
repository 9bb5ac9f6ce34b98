import { dropStatuses, type DropCommand, type DropStatus } from '../contracts/index.ts';

/** A validated command with the offset of its message in its `drop.intents` partition. */
export interface SequencedCommand {
  offset: number;
  command: DropCommand;
}

/** What deciding a drop's commands did to the drop. */
export interface Decided {
  ok: true;
  /** The drop's status after the call. */
  status: DropStatus;
  /** Units neither held nor sold after the call. */
  remaining: number;
  decidedOffset: number;
  /** The drop's last decision seq; every returned decision has a seq at most this. */
  seq: number;
  /** How many of `decisions` (the first ones) were left pending by an earlier call. */
  redelivered: number;
  /** `Decision` JSON, ready to produce: pending ones first, then the new ones, each once. */
  decisions: string[];
  /** Script calls it took (more than one only when a long waitlist walk was split). */
  calls: number;
}

/** One call of decide.lua: like `Decided`, and whether a waitlist walk is still unfinished. */
export interface Reply extends Omit<Decided, 'calls'> {
  unsettled: boolean;
}

/** Why decide.lua refused a drop's commands; they belong on the dead-letter topic. */
export interface Refused {
  ok: false;
  reason: string;
}

/** Fields per command in the script's ARGV. */
export const COMMAND_STRIDE = 7;

/**
 * The script's ARGV for `commands`, in order: per command exactly `COMMAND_STRIDE` strings
 * `offset, type, intent_id, a, b, c, d`, absent values as '' —
 * join: a user_id, b quantity, c payment_method_id, d shipping_address_id; release: a reason;
 * purchase: a order_id; close: no intent.
 */
export function encodeCommands(commands: readonly SequencedCommand[]): string[] {
  const args: string[] = [];
  for (const { offset, command: c } of commands) {
    const off = String(offset);
    switch (c.type) {
      case 'join':
        args.push(
          off,
          c.type,
          c.intent_id,
          c.user_id,
          String(c.quantity),
          c.payment_method_id ?? '',
          c.shipping_address_id ?? '',
        );
        break;
      case 'release':
        args.push(off, c.type, c.intent_id, c.reason, '', '', '');
        break;
      case 'purchase':
        args.push(off, c.type, c.intent_id, c.order_id, '', '', '');
        break;
      case 'close':
        args.push(off, c.type, '', '', '', '', '');
        break;
    }
  }
  return args;
}

const isStatus = (s: unknown): s is DropStatus => dropStatuses.includes(s as DropStatus);

/**
 * Reads the script's reply `{status, stock, decided_offset, seq, n_redelivered, unsettled, JSON...}`,
 * `{'missing'}` when the drop has no state, `{'wrong_partition', p}` when its commands came on
 * another partition than its own. Throws on any other shape (a bug, not bad input).
 */
export function parseReply(dropId: string, partition: number, reply: unknown): Reply | Refused {
  if (!Array.isArray(reply) || reply.length === 0) {
    throw new Error(`decide.lua: unexpected reply ${String(reply)}`);
  }
  const [head, stock, decided, seq, redelivered, unsettled, ...decisions] = reply as unknown[];
  if (head === 'missing') return { ok: false, reason: `drop ${dropId} has no state in Redis` };
  if (head === 'wrong_partition') {
    return { ok: false, reason: `drop ${dropId} belongs to partition ${String(stock)}, not ${partition}` };
  }
  const num = (n: unknown): n is number => typeof n === 'number';
  if (
    !isStatus(head) ||
    !num(stock) ||
    !num(decided) ||
    !num(seq) ||
    !num(redelivered) ||
    (unsettled !== 0 && unsettled !== 1) ||
    !decisions.every((d) => typeof d === 'string')
  ) {
    throw new Error(`decide.lua: unexpected reply ${JSON.stringify(reply).slice(0, 200)}`);
  }
  return {
    ok: true,
    status: head,
    remaining: stock,
    decidedOffset: decided,
    seq,
    redelivered,
    unsettled: unsettled === 1,
    decisions,
  };
}
