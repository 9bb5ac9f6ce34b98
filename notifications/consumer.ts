import type { OrderEvent } from '../contracts/index.ts';
import { startOrderEventConsumer, type OrderEventConsumerOptions } from '../orders/index.ts';
import { createMailer, firstOfEach, type Closer, type Mailer, type Refusal, type Runtime } from '../platform/index.ts';
import { composeEmail, noticeOf } from './emails.ts';
import { orderFacts } from './facts.ts';

/** `groupId` defaults to `notifications`. */
export interface NotificationsOptions extends OrderEventConsumerOptions {
  /** Default: from config (SMTP_URL, else .eml files in MAIL_DIR). */
  mailer?: Mailer;
}

export interface Notifications {
  /** Resolves once the consumer has joined its group. */
  ready: Promise<void>;
  /** Stops the consumer (committing what it finished), then its producer and mailer. */
  closer: Closer;
}

/** Emails sent at once, at most. */
const SENDING = 16;

/**
 * The shopper's emails of `order.events` (notifications/emails.ts says which): each event's email is composed from
 * the order as stored and sent under a key of what it is about, so a copy sent again replaces the first; the
 * event is then recorded in processed_events and never mailed again, however often it is delivered. An event of an
 * order this database does not know is dead-lettered; a mail server that fails has the batch retried with backoff.
 * A new group starts at the topic's end: it does not mail the history of a long-lived topic.
 */
export async function startNotifications(rt: Runtime, o: NotificationsOptions = {}): Promise<Notifications> {
  const groupId = o.groupId ?? 'notifications';
  const log = rt.logger.child({ component: 'notifications' });
  const mailer = o.mailer ?? createMailer(rt.config);

  async function handle(events: OrderEvent[]): Promise<Refusal[]> {
    const mail = firstOfEach(
      events.flatMap((e, index) => {
        const n = noticeOf(e);
        return n === null ? [] : [{ e, index, ...n }];
      }),
      (m) => m.e.event_id,
    );
    if (mail.length === 0) return [];
    const done = new Set(
      (
        await rt.sql<{ event_id: string }[]>`
          select event_id from processed_events where consumer = ${groupId} and event_id = any(${mail.map((m) => m.e.event_id)}::uuid[])`
      ).map((r) => r.event_id),
    );
    const unsent = mail.filter((m) => !done.has(m.e.event_id));
    const facts = await orderFacts(rt.sql, unsent.map((m) => m.e.order_id));
    const refused: Refusal[] = [];
    const sent: string[] = [];
    let failure: Error | undefined;
    for (let i = 0; i < unsent.length; i += SENDING) {
      await Promise.all(
        unsent.slice(i, i + SENDING).map(async (m) => {
          const f = facts.get(m.e.order_id);
          if (!f) return void refused.push({ index: m.index, reason: `order ${m.e.order_id} is unknown here` });
          try {
            await mailer.send({ key: m.key, to: f.email, ...composeEmail(m.notice, f) });
            sent.push(m.e.event_id);
          } catch (err) {
            failure ??= err instanceof Error ? err : new Error(String(err));
          }
        }),
      );
    }
    if (sent.length > 0) {
      await rt.sql`insert into processed_events (consumer, event_id)
                   select ${groupId}, unnest(${sent}::uuid[]) on conflict do nothing`;
    }
    if (failure !== undefined) {
      log.warn({ err: failure, sent: sent.length }, 'emails not sent; the batch will be retried');
      throw failure;
    }
    return refused;
  }

  const consumer = await startOrderEventConsumer(rt, { ...o, groupId, logger: log, handle, start: 'latest' });
  const close = async () => {
    await consumer.stop();
    mailer.close();
  };
  return { ready: consumer.ready, closer: { name: 'notifications', close } };
}
