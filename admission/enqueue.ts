import type { Redis } from 'ioredis';
import { dropKeys, type JoinCommand } from '../contracts/index.ts';
import type { CommandProducer } from './command-producer.ts';
import { positionOf } from './rules.ts';
import { admissionScripts } from './scripts.ts';

/** Where an admitted join sits: written to the drop's `intents` hash once Kafka has it. */
export interface IntentRecord {
  user_id: string;
  quantity: number;
  offset: number;
  payment_method_id?: string | undefined;
  shipping_address_id?: string | undefined;
}

/** Hands a join to Kafka, then records its offset in Redis; resolves with the offset and the position. */
export async function enqueue(
  redis: Redis,
  commands: CommandProducer,
  join: JoinCommand,
  partition: number,
): Promise<{ offset: number; position: number }> {
  const k = dropKeys(join.drop_id);
  const offset = await commands.send(partition, join);
  const record: IntentRecord = {
    user_id: join.user_id,
    quantity: join.quantity,
    offset,
    payment_method_id: join.payment_method_id,
    shipping_address_id: join.shipping_address_id,
  };
  const decided = await admissionScripts(redis).record([k.intents, k.state], [join.intent_id, JSON.stringify(record), offset]);
  return { offset, position: positionOf(offset, decided) };
}
