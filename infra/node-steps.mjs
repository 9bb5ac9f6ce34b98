// Steps shared by `npm start` and `npm test`; plain Node so they run before dependencies are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command in the repo root, inheriting the terminal; exits with its code when it fails. */
export function run(cmd, args, what) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  return Date.now() - started;
}

/** Installs dependencies from the lockfile when node_modules is missing or older than the lockfile. */
export function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('deps: installing from package-lock.json');
  run('npm', ['ci', '--no-audit', '--no-fund'], 'npm ci');
}

export function stackUp() {
  run('bash', ['infra/stack.sh', 'up'], 'stack up');
}

/** The OpenSearch node the catalog's `elasticsearch` engine talks to (infra/opensearch.sh). */
export function searchUp() {
  run('bash', ['infra/opensearch.sh', 'up'], 'search node up');
}
