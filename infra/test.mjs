// `npm test`: installs dependencies if missing, brings the stack up, then typecheck, lint and every test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, root, run, stackUp } from './node-steps.mjs';

const report = join(root, '.stack', 'vitest-report.json');
ensureInstalled();
stackUp();
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
