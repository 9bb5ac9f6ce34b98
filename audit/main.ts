import { isId, topics } from '../contracts/index.ts';
import { stripeFromConfig } from '../checkout/index.ts';
import { closeAll, connectionClosers, createRuntime, loadConfig, startOrExit } from '../platform/index.ts';
import { auditDrop } from './collect.ts';

/** `npm run audit -- <drop_id>`: checks the drop's invariants across Redis, Kafka, PostgreSQL and payments. */
const dropId = process.argv[2] ?? '';
if (!isId(dropId)) {
  console.error('usage: npm run audit -- <drop_id>');
  process.exit(2);
}
const rt = createRuntime(await startOrExit(loadConfig), 'audit');
const report = await auditDrop({
  sql: rt.sql,
  redis: rt.redis,
  kafka: rt.kafka,
  decisionsTopic: topics.dropDecisions.name,
  dropId,
  stripe: stripeFromConfig(rt.config),
});
await closeAll(connectionClosers(rt), rt.logger, 5_000);
console.log(JSON.stringify(report, null, 2));
console.log(report.violations.length === 0 ? 'audit: clean' : `audit: ${report.violations.length} violation(s)`);
process.exit(report.violations.length === 0 ? 0 : 1);
