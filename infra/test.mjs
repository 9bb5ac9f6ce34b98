// `npm test`: installs dependencies if missing, brings the stack up (with the search node, so both catalog
// engines are tested), then typecheck, lint and every test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, root, run, searchUp, stackUp } from './node-steps.mjs';

const report = join(root, '.stack', 'vitest-report.json');
ensureInstalled();
stackUp();
searchUp();
process.env.SEARCH_REQUIRED = '1';
for (const [what, args] of [
  ['typecheck', ['tsc', '--noEmit']],
  ['lint', ['eslint', '.']],
  ['tests', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]],
]) {
  console.log(`\n== ${what}`);
  const ms = run('npx', ['--no-install', ...args], what);
  console.log(`== ${what} ok (${(ms / 1000).toFixed(1)} s)`);
}
const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8'));
console.log(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed`);
