import { isId, topics } from '../contracts/index.ts';
import { stripeFromConfig } from '../checkout/index.ts';
import { closeAll, connectionClosers, createRuntime, loadConfig, startOrExit } from '../platform/index.ts';
import { auditAllCheckouts } from './collect-checkouts.ts';
import { auditDrop } from './collect.ts';

/**
 * `npm run audit -- <drop_id>`: checks the drop's invariants across Redis, Kafka, PostgreSQL and payments.
 * `npm run audit -- checkouts`: checks the cart checkouts' invariants across PostgreSQL and payments.
 */
const what = process.argv[2] ?? '';
if (what !== 'checkouts' && !isId(what)) {
  console.error('usage: npm run audit -- <drop_id> | checkouts');
  process.exit(2);
}
const rt = createRuntime(await startOrExit(loadConfig), 'audit');
const stripe = stripeFromConfig(rt.config);
const report =
  what === 'checkouts'
    ? await auditAllCheckouts({ sql: rt.sql, stripe })
    : await auditDrop({
        sql: rt.sql,
        redis: rt.redis,
        kafka: rt.kafka,
        decisionsTopic: topics.dropDecisions.name,
        deadLettersTopic: topics.deadLetters.name,
        dropId: what,
        stripe,
      });
await closeAll(connectionClosers(rt), rt.logger, 5_000);
console.log(JSON.stringify(report, null, 2));
console.log(report.violations.length === 0 ? 'audit: clean' : `audit: ${report.violations.length} violation(s)`);
process.exit(report.violations.length === 0 ? 0 : 1);
