// `npm test`: installs dependencies if missing, brings the stack up (with the search node, so both catalog
// engines are tested), then typecheck, lint (layering included) and every test, unit and integration. The Kafka
// broker and the search node are stopped afterwards when this run started them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attempt, ensureInstalled, listening, root, run, searchUp, stackUp } from './node-steps.mjs';

const report = join(root, '.stack', 'vitest-report.json');
ensureInstalled();
const wasUp = {
  kafka: await listening(process.env.KAFKA_PORT ?? 9092),
  search: await listening(process.env.SEARCH_PORT ?? 9200),
};
stackUp();
searchUp();
process.env.SEARCH_REQUIRED = '1';
let failed;
for (const [what, args] of [
  ['typecheck', ['tsc', '--noEmit']],
  ['lint', ['eslint', '.']],
  ['layering', ['depcruise', '--config', '.dependency-cruiser.cjs', '.']],
  ['tests', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]],
]) {
  console.log(`\n== ${what}`);
  const r = attempt('npx', ['--no-install', ...args]);
  if (!r.ok) {
    failed = { what, code: r.code };
    break;
  }
  console.log(`== ${what} ok (${(r.ms / 1000).toFixed(1)} s)`);
}
if (!failed || failed.what === 'tests') {
  const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed`);
}
if (!wasUp.search) run('bash', ['infra/opensearch.sh', 'down'], 'search node down');
if (!wasUp.kafka) run('bash', ['infra/stack.sh', 'down'], 'stack down');
if (failed) {
  console.error(`${failed.what} failed (exit ${failed.code})`);
  process.exit(failed.code);
}
