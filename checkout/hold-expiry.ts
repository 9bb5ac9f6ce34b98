import { dropIntents } from '../admission/index.ts';
import type { Logger, Sql } from '../platform/index.ts';
import type { Clock, SendCommand } from './steps.ts';

export interface ExpiryOptions {
  sql: Sql;
  sendCommand: SendCommand;
  clock: Clock;
  logger: Logger;
  /** A release is sent again for a hold still reserved this long after the last one. Default 15 s. */
  resendAfterMs?: number;
  batchSize?: number;
}

/**
 * One pass of hold expiry: for every intent still reserved in PostgreSQL whose hold has expired by the clock,
 * sends `release` (reason expired) to the sequencer and notes it; sends again only after `resendAfterMs`.
 * Idempotent: the sequencer ignores a release for an intent no longer held. Returns the number sent.
 */
export function createExpiry(o: ExpiryOptions): () => Promise<number> {
  const resendAfterMs = o.resendAfterMs ?? 15_000;
  const batchSize = o.batchSize ?? 500;
  return async () => {
    const now = o.clock();
    const due = await o.sql<{ intent_id: string; drop_id: string; kafka_partition: number }[]>`
      select i.intent_id, i.drop_id, d.kafka_partition
      from drop_intents i join drops d on d.drop_id = i.drop_id
      where i.status = 'reserved' and i.hold_expires_at <= ${new Date(now)}
        and (i.release_requested_at is null or i.release_requested_at <= ${new Date(now - resendAfterMs)})
      order by i.hold_expires_at
      limit ${batchSize}`;
    if (due.length === 0) return 0;
    const sent: string[] = [];
    await Promise.all(
      due.map(async (r) => {
        try {
          const cmd = {
            type: 'release',
            v: 1,
            drop_id: r.drop_id,
            intent_id: r.intent_id,
            reason: 'expired',
            at: now,
          } as const;
          await o.sendCommand(cmd, r.kafka_partition);
          sent.push(r.intent_id);
        } catch (err) {
          o.logger.warn({ err, intent_id: r.intent_id }, 'release not sent; will retry');
        }
      }),
    );
    if (sent.length > 0) {
      await dropIntents.markRequested(o.sql, sent.map((intent_id) => ({ intent_id, what: 'release', at: now })));
    }
    return sent.length;
  };
}
