import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { dropKeys, type JoinCommand } from '../contracts/index.ts';
import { type Logger, type Loop, type Sql, startLoop } from '../platform/index.ts';
import type { CommandProducer } from './command-producer.ts';
import { dropsWithPrequeue, markHanded, takePrequeue, type TakenJoin } from './drop-intents.ts';
import type { Drops } from './drops.ts';
import { enqueue } from './enqueue.ts';
import { admissionScripts } from './scripts.ts';

/** Fisher–Yates with a cryptographic source: every order of the pre-queue is equally likely. */
export function shuffle<T>(items: T[], random: (n: number) => number = randomInt): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const CHUNK = 1_000;

/**
 * Opens drops at their start and closes them at their end. At the start the pre-queue is taken (no
 * intent leaves it after that), shuffled and handed to Kafka before the drop takes direct joins, so
 * arriving early buys no place; joins pre-queued in the moment of opening, and a pre-queue taken by a
 * process that died before handing it, follow at the next tick. One process works a drop at a time.
 */
export function createDropOpener(deps: {
  sql: Sql;
  redis: Redis;
  commands: CommandProducer;
  drops: Drops;
  logger: Logger;
  intervalMs?: number;
}) {
  const { sql, redis, commands, logger } = deps;
  const scripts = admissionScripts(redis);

  async function withLock(dropId: string, work: () => Promise<void>) {
    const lock = `${dropKeys(dropId).state}:opener`;
    if ((await redis.set(lock, String(process.pid), 'PX', 30_000, 'NX')) !== 'OK') return;
    try {
      await work();
    } finally {
      await redis.del(lock);
    }
  }

  async function hand(rows: TakenJoin[]) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const sent = await Promise.all(
        chunk.map((r) => {
          const join: JoinCommand = {
            type: 'join',
            v: 1,
            drop_id: r.drop_id,
            intent_id: r.intent_id,
            user_id: r.user_id,
            quantity: r.quantity,
            ...(r.payment_method_id ? { payment_method_id: r.payment_method_id } : {}),
            ...(r.shipping_address_id ? { shipping_address_id: r.shipping_address_id } : {}),
            at: Date.now(),
          };
          return enqueue(redis, commands, join, r.kafka_partition);
        }),
      );
      const ids = chunk.map((r) => r.intent_id);
      const offsets = sent.map((s) => s.offset);
      await markHanded(sql, ids, offsets);
    }
  }

  async function tick() {
    const due = await sql<{ drop_id: string }[]>`
      select drop_id from drops where status = 'scheduled' and starts_at <= now() order by starts_at`;
    for (const { drop_id } of due) {
      await withLock(drop_id, async () => {
        const rows = shuffle(await takePrequeue(sql, drop_id));
        await hand(rows);
        await scripts.open([dropKeys(drop_id).state]);
        await sql`update drops set status = 'open', updated_at = now() where drop_id = ${drop_id} and status = 'scheduled'`;
        logger.info({ drop_id, prequeued: rows.length }, 'drop opened');
      });
    }
    for (const { drop_id } of await dropsWithPrequeue(sql)) {
      await withLock(drop_id, async () => hand(shuffle(await takePrequeue(sql, drop_id))));
    }
    const over = await sql<{ drop_id: string }[]>`
      select drop_id from drops where status in ('scheduled', 'open') and ends_at <= now()`;
    for (const { drop_id } of over) await deps.drops.close(drop_id);
  }

  return {
    tick,
    /** Ticks every `intervalMs` (default 1 s) until the loop is stopped. */
    start: (): Loop => startLoop('drop opener', deps.intervalMs ?? 1_000, tick, logger),
  };
}
