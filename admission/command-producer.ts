import type { Producer } from 'kafkajs';
import type { DropCommand } from '../contracts/index.ts';

interface Pending {
  command: DropCommand;
  resolve: (offset: number) => void;
  reject: (err: unknown) => void;
}

export interface CommandProducer {
  /** Resolves with the command's offset once Kafka has it (acks=all); rejects when the send failed. */
  send(partition: number, command: DropCommand): Promise<number>;
  /** Sends what is waiting and resolves when every send has settled. */
  flush(): Promise<void>;
}

/**
 * Batches drop commands for a few milliseconds into one Kafka request per flush, keyed by drop id
 * to the given partition, keeping their order. Offsets within a partition's batch are consecutive.
 */
export function createCommandProducer(o: {
  producer: Producer;
  topic: string;
  lingerMs?: number;
  maxBatch?: number;
}): CommandProducer {
  const lingerMs = o.lingerMs ?? 2;
  const maxBatch = o.maxBatch ?? 2_000; // ~330 bytes a join: one request stays under the broker's 1 MiB
  let queue = new Map<number, Pending[]>();
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const inflight = new Set<Promise<void>>();

  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (size > 0) {
      const batch = queue;
      queue = new Map();
      size = 0;
      const p = sendBatch(batch).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
  };

  async function sendBatch(batch: Map<number, Pending[]>) {
    const parts = [...batch.entries()];
    try {
      const meta = await o.producer.send({
        topic: o.topic,
        acks: -1,
        messages: parts.flatMap(([partition, items]) =>
          items.map((p) => ({ partition, key: p.command.drop_id, value: JSON.stringify(p.command) })),
        ),
      });
      for (const [partition, items] of parts) {
        const base = Number(meta.find((m) => m.partition === partition)?.baseOffset ?? NaN);
        if (Number.isNaN(base)) throw new Error(`no offset returned for partition ${partition}`);
        items.forEach((p, i) => p.resolve(base + i));
      }
    } catch (err) {
      for (const [, items] of parts) for (const p of items) p.reject(err);
    }
  }

  return {
    send(partition, command) {
      return new Promise<number>((resolve, reject) => {
        const list = queue.get(partition) ?? [];
        list.push({ command, resolve, reject });
        queue.set(partition, list);
        size += 1;
        if (size >= maxBatch) void flush();
        else timer ??= setTimeout(() => void flush(), lingerMs);
      });
    },
    flush,
  };
}
