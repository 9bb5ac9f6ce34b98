import type { Producer } from 'kafkajs';
import { createCommandProducer } from '../admission/index.ts';
import type { SendCommand } from './steps.ts';
import { dropCommand } from '../contracts/index.ts';

/**
 * Commands to the sequencer on `topic` (drop.intents), on the drop's own partition, key = drop id, validated
 * against the contract first. Resolves once all in-sync replicas have the message. Commands sent while a
 * request is in flight share the next one, so a thousand sagas finishing at once cost a few requests instead
 * of a thousand queued one behind the other.
 */
export function createCommandSender(producer: Producer, topic: string): SendCommand {
  const commands = createCommandProducer({ producer, topic, lingerMs: 1 });
  return async (cmd, partition) => {
    await commands.send(partition, dropCommand.parse(cmd));
  };
}
