import type { Producer } from 'kafkajs';
import type { SendCommand } from '../checkout/index.ts';
import { dropCommand } from '../contracts/index.ts';

/**
 * Commands to the sequencer on `topic` (drop.intents), on the drop's own partition, key = drop id, validated
 * against the contract first. Resolves once all in-sync replicas have the message.
 */
export function createCommandSender(producer: Producer, topic: string): SendCommand {
  return async (cmd, partition) => {
    const c = dropCommand.parse(cmd);
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: c.drop_id, partition, value: JSON.stringify(c) }],
    });
  };
}
