import { describe, expect, it } from 'vitest';
import { newId, type DropCommand } from '../contracts/index.ts';
import { COMMAND_STRIDE, encodeCommands, parseReply } from './protocol.ts';

const drop_id = newId();
const base = { v: 1 as const, drop_id, at: 1 };
const intent_id = newId();
const user_id = newId();
const order_id = newId();
const address = newId();

describe('encodeCommands', () => {
  it('writes each command as exactly COMMAND_STRIDE strings, absent values empty', () => {
    const commands: DropCommand[] = [
      {
        type: 'join',
        ...base,
        intent_id,
        user_id,
        quantity: 2,
        payment_method_id: 'pm_1',
        shipping_address_id: address,
      },
      { type: 'join', ...base, intent_id, user_id, quantity: 1 },
      { type: 'release', ...base, intent_id, reason: 'expired' },
      { type: 'purchase', ...base, intent_id, order_id },
      { type: 'close', ...base },
    ];
    const args = encodeCommands(commands.map((command, i) => ({ offset: 10 + i, command })));
    expect(args).toHaveLength(commands.length * COMMAND_STRIDE);
    expect(args).toEqual([
      ...['10', 'join', intent_id, user_id, '2', 'pm_1', address],
      ...['11', 'join', intent_id, user_id, '1', '', ''],
      ...['12', 'release', intent_id, 'expired', '', '', ''],
      ...['13', 'purchase', intent_id, order_id, '', '', ''],
      ...['14', 'close', '', '', '', '', ''],
    ]);
  });
});

describe('parseReply', () => {
  it('reads the drop state and the decisions', () => {
    expect(parseReply(drop_id, 0, ['open', 3, 41, 9, 1, 0, '{"a":1}', '{"b":2}'])).toEqual({
      ok: true,
      status: 'open',
      remaining: 3,
      decidedOffset: 41,
      seq: 9,
      redelivered: 1,
      unsettled: false,
      decisions: ['{"a":1}', '{"b":2}'],
    });
    expect(parseReply(drop_id, 0, ['sold_out', 0, -1, 0, 0, 1])).toMatchObject({
      ok: true,
      unsettled: true,
      decisions: [],
    });
  });

  it('turns a missing drop or a wrong partition into a reason to park the commands', () => {
    expect(parseReply(drop_id, 2, ['missing'])).toEqual({
      ok: false,
      reason: `drop ${drop_id} has no state in Redis`,
    });
    expect(parseReply(drop_id, 2, ['wrong_partition', '5'])).toEqual({
      ok: false,
      reason: `drop ${drop_id} belongs to partition 5, not 2`,
    });
  });

  it('throws on a reply it does not understand', () => {
    expect(() => parseReply(drop_id, 0, 'OK')).toThrow(/unexpected reply/);
    expect(() => parseReply(drop_id, 0, ['bogus', 1, 1, 1, 0, 0])).toThrow(/unexpected reply/);
    expect(() => parseReply(drop_id, 0, ['open', 1, 1, 1, 0, 2])).toThrow(/unexpected reply/);
    expect(() => parseReply(drop_id, 0, ['open', 1, 1, 1, 0, 0, 7])).toThrow(/unexpected reply/);
  });
});
