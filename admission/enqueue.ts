import type { Redis } from 'ioredis';
import { dropKeys, type JoinCommand } from '../contracts/index.ts';
import type { CommandProducer } from './command-producer.ts';
import { positionOf } from './rules.ts';
import { admissionScripts, type AdmissionScripts } from './scripts.ts';

/** Where an admitted join sits: written to the drop's `intents` hash once Kafka has it. */
export interface IntentRecord {
  user_id: string;
  quantity: number;
  offset: number;
  payment_method_id?: string | undefined;
  shipping_address_id?: string | undefined;
}

interface Waiting {
  intentId: string;
  record: string;
  offset: number;
  resolve: (decided: number) => void;
  reject: (err: unknown) => void;
}

/**
 * Writes intent records to Redis, one script call per drop for all the records that arrive in the same turn
 * of the event loop: the joins of one Kafka batch are acknowledged together, and recording them one call each
 * costs Redis and this process a round trip apiece.
 */
function createRecorder(scripts: AdmissionScripts) {
  const queues = new Map<string, Waiting[]>();
  const flush = () => {
    for (const [dropId, items] of queues) {
      const k = dropKeys(dropId);
      let max = -1;
      const args: (string | number)[] = [0];
      for (const w of items) {
        max = Math.max(max, w.offset);
        args.push(w.intentId, w.record);
      }
      args[0] = max;
      scripts.record([k.intents, k.state], args).then(
        (decided) => items.forEach((w) => w.resolve(decided)),
        (err: unknown) => items.forEach((w) => w.reject(err)),
      );
    }
    queues.clear();
  };
  return (dropId: string, w: Waiting) => {
    const list = queues.get(dropId);
    if (list) list.push(w);
    else {
      if (queues.size === 0) setImmediate(flush);
      queues.set(dropId, [w]);
    }
  };
}

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
  const decided = await new Promise<number>((resolve, reject) =>
    record(join.drop_id, { intentId: join.intent_id, record: JSON.stringify(r), offset, resolve, reject }),
  );
  return { offset, position: positionOf(offset, decided) };
}
