import { startAnalytics } from '../analytics/index.ts';
import { startFulfillment } from '../fulfillment/index.ts';
import { startNotifications } from '../notifications/index.ts';
import { createMailer } from '../platform/mail.ts';
import { createRuntime } from '../platform/runtime.ts';

/**
 * An order.events consumer in a process of its own, for tests that kill it (SIGKILL) mid-stream. CONSUMER_CHILD
 * holds {role, topic, groupId, deadLetterTopic}; mail goes to MAIL_DIR. It fetches little at a time, so a stream
 * takes it a while.
 */
const o = JSON.parse(process.env.CONSUMER_CHILD ?? '{}') as {
  role: 'notifications' | 'fulfillment' | 'analytics';
  topic: string;
  groupId: string;
  deadLetterTopic: string;
};
const rt = createRuntime(undefined, `test-${o.role}`);
const options = {
  topic: o.topic,
  groupId: o.groupId,
  deadLetterTopic: o.deadLetterTopic,
  consumer: { maxBytesPerPartition: 1_024, maxWaitTimeInMs: 50, sessionTimeout: 6_000, heartbeatInterval: 500 },
};
const started =
  o.role === 'notifications'
    ? await startNotifications(rt, { ...options, mailer: createMailer(rt.config) })
    : o.role === 'fulfillment'
      ? await startFulfillment(rt, options)
      : await startAnalytics(rt, options);
await started.ready;
console.log('ready');
