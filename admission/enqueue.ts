import type { Redis } from 'ioredis';
import { dropKeys, type IntentRecord, type JoinCommand } from '../contracts/index.ts';
import { batched, groupBy } from '../platform/index.ts';
import type { CommandProducer } from './command-producer.ts';
import { positionOf } from './rules.ts';
import { admissionScripts, type AdmissionScripts } from './scripts.ts';

interface Recording {
  dropId: string;
  intentId: string;
  record: string;
  offset: number;
}

/**
 * Writes intent records to Redis, one script call per drop for all the records that arrive in the same turn
 * of the event loop: the joins of one Kafka batch are acknowledged together, and recording them one call each
 * costs Redis and this process a round trip apiece. Each call answers its drop's decided offset.
 */
const createRecorder = (scripts: AdmissionScripts) =>
  batched(async (items: Recording[]) => {
    const decided = new Map<string, number>();
    await Promise.all(
      [...groupBy(items, (r) => r.dropId)].map(async ([dropId, list]) => {
        const k = dropKeys(dropId);
        const args: (string | number)[] = [list.reduce((max, r) => Math.max(max, r.offset), -1)];
        for (const r of list) args.push(r.intentId, r.record);
        decided.set(dropId, await scripts.record([k.intents, k.state], args));
      }),
    );
    return items.map((r) => decided.get(r.dropId)!);
  });

const recorders = new WeakMap<Redis, ReturnType<typeof createRecorder>>();

/** Hands a join to Kafka, then records its offset in Redis; resolves with the offset and the position. */
export async function enqueue(
  redis: Redis,
  commands: CommandProducer,
  join: JoinCommand,
  partition: number,
): Promise<{ offset: number; position: number }> {
  let record = recorders.get(redis);
  if (!record) recorders.set(redis, (record = createRecorder(admissionScripts(redis))));
  const offset = await commands.send(partition, join);
  const r: IntentRecord = {
    user_id: join.user_id,
    quantity: join.quantity,
    offset,
    payment_method_id: join.payment_method_id,
    shipping_address_id: join.shipping_address_id,
  };
  const decided = await record({ dropId: join.drop_id, intentId: join.intent_id, record: JSON.stringify(r), offset });
  return { offset, position: positionOf(offset, decided) };
}
