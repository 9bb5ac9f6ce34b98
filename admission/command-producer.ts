import type { Producer } from 'kafkajs';
import type { DropCommand } from '../contracts/index.ts';
import { groupBy } from '../platform/index.ts';

interface Pending {
  partition: number;
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
 * Batches drop commands into one Kafka request at a time, keyed by drop id to the given partition, keeping
 * their order. An idle producer waits `lingerMs` for company; while a request is in flight everything that
 * arrives waits for it and goes in the next one, so batches grow with the load instead of queueing small
 * requests behind each other (the idempotent producer allows one request in flight). Offsets within a
 * partition's batch are consecutive.
 */
export function createCommandProducer(o: {
  producer: Producer;
  topic: string;
  lingerMs?: number;
  maxBatch?: number;
}): CommandProducer {
  const lingerMs = o.lingerMs ?? 2;
  const maxBatch = o.maxBatch ?? 2_000; // ~330 bytes a join: one request stays under the broker's 1 MiB
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> | undefined;

  const pump = () => {
    clearTimeout(timer);
    timer = undefined;
    if (sending !== undefined || queue.length === 0) return;
    let batch = queue;
    if (batch.length > maxBatch) {
      batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
    } else queue = [];
    sending = sendBatch(batch).finally(() => {
      sending = undefined;
      pump();
    });
  };

  async function sendBatch(batch: Pending[]) {
    const byPartition = groupBy(batch, (p) => p.partition);
    try {
      const meta = await o.producer.send({
        topic: o.topic,
        acks: -1,
        messages: [...byPartition].flatMap(([partition, items]) =>
          items.map((p) => ({ partition, key: p.command.drop_id, value: JSON.stringify(p.command) })),
        ),
      });
      for (const [partition, items] of byPartition) {
        const base = Number(meta.find((m) => m.partition === partition)?.baseOffset ?? NaN);
        if (Number.isNaN(base)) throw new Error(`no offset returned for partition ${partition}`);
        items.forEach((p, i) => p.resolve(base + i));
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  return {
    send(partition, command) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ partition, command, resolve, reject });
        if (sending !== undefined) return; // goes with the next request, as soon as this one is answered
        if (queue.length >= maxBatch) pump();
        else timer ??= setTimeout(pump, lingerMs);
      });
    },
    async flush() {
      pump();
      while (sending !== undefined) await sending;
    },
  };
}
