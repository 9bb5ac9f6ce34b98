import type { Redis } from 'ioredis';
import { dropIntents } from '../admission/index.ts';
import { dropKeys } from '../contracts/index.ts';
import type { Logger, Sql } from '../platform/index.ts';
import type { Clock, SendCommand } from './steps.ts';

export interface ExpiryOptions {
  sql: Sql;
  redis: Redis;
  sendCommand: SendCommand;
  clock: Clock;
  logger: Logger;
  /** A release is sent again for a hold still reserved this long after the last one. Default 15 s. */
  resendAfterMs?: number;
  batchSize?: number;
}

interface Due {
  intent_id: string;
  drop_id: string;
  kafka_partition: number;
}

/**
 * One pass of hold expiry: every hold past its time gets `release` (reason expired) on its drop's partition.
 * Holds are found two ways: reserved in PostgreSQL (the release noted there, and sent again only after
 * `resendAfterMs`), and held in the drop's own state in Redis (the sequencer's `holds`) for more than
 * `resendAfterMs` past their expiry, which catches a hold whose decision never reached PostgreSQL (each sent
 * again by this process only after `resendAfterMs`). Idempotent: the sequencer ignores a release for an intent
 * no longer held, so both ways, and several workers, may send one. Returns the number sent.
 */
export function createExpiry(o: ExpiryOptions): () => Promise<number> {
  const resendAfterMs = o.resendAfterMs ?? 15_000;
  const batchSize = o.batchSize ?? 500;
  /** When this process last sent a release for a hold found only in Redis. */
  const sentFromRedis = new Map<string, number>();

  const dueInPostgres = (now: number) => o.sql<Due[]>`
    select i.intent_id, i.drop_id, d.kafka_partition
    from drop_intents i join drops d on d.drop_id = i.drop_id
    where i.status = 'reserved' and i.hold_expires_at <= ${new Date(now)}
      and (i.release_requested_at is null or i.release_requested_at <= ${new Date(now - resendAfterMs)})
    order by i.hold_expires_at
    limit ${batchSize}`;

  /** Holds of running drops that Redis still has well past their expiry, not sent lately by this process. */
  async function overdueInRedis(now: number): Promise<Due[]> {
    const drops = await o.sql<{ drop_id: string; kafka_partition: number }[]>`
      select drop_id, kafka_partition from drops where settled_at is null and starts_at <= now()`;
    if (drops.length === 0) return [];
    const pipe = o.redis.pipeline();
    for (const d of drops) {
      pipe.zrangebyscore(dropKeys(d.drop_id).holds, '-inf', now - resendAfterMs, 'LIMIT', 0, batchSize);
    }
    const replies = (await pipe.exec()) ?? [];
    const overdue = drops.flatMap((d, i) => {
      const [err, ids] = replies[i] ?? [];
      return err || !Array.isArray(ids) ? [] : (ids as string[]).map((intent_id) => ({ ...d, intent_id }));
    });
    const still = new Set(overdue.map((h) => h.intent_id));
    for (const id of sentFromRedis.keys()) if (!still.has(id)) sentFromRedis.delete(id);
    return overdue.filter((h) => (sentFromRedis.get(h.intent_id) ?? -Infinity) <= now - resendAfterMs);
  }

  const send = async (r: Due, now: number): Promise<boolean> => {
    try {
      await o.sendCommand(
        { type: 'release', v: 1, drop_id: r.drop_id, intent_id: r.intent_id, reason: 'expired', at: now },
        r.kafka_partition,
      );
      return true;
    } catch (err) {
      o.logger.warn({ err, intent_id: r.intent_id }, 'release not sent; will retry');
      return false;
    }
  };

  return async () => {
    const now = o.clock();
    const [pg, redis] = await Promise.all([dueInPostgres(now), overdueInRedis(now)]);
    const known = new Set(pg.map((r) => r.intent_id));
    const onlyInRedis = redis.filter((r) => !known.has(r.intent_id));
    if (onlyInRedis.length > 0) {
      o.logger.warn({ count: onlyInRedis.length }, 'releasing holds that PostgreSQL has not released');
    }
    const [sentPg, sentRedis] = await Promise.all([
      Promise.all(pg.map((r) => send(r, now))),
      Promise.all(onlyInRedis.map((r) => send(r, now))),
    ]);
    const marks = pg
      .filter((_, i) => sentPg[i])
      .map((r) => ({ intent_id: r.intent_id, what: 'release' as const, at: now }));
    if (marks.length > 0) await dropIntents.markRequested(o.sql, marks);
    let resent = 0;
    for (const [i, r] of onlyInRedis.entries()) {
      if (!sentRedis[i]) continue;
      sentFromRedis.set(r.intent_id, now);
      resent++;
    }
    return marks.length + resent;
  };
}
