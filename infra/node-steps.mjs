// Steps shared by `npm start` and `npm test`; plain Node so they run before dependencies are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The project's Node (the `node` package, Node 24, which runs TypeScript as it is), whatever Node started this
 * script: before the first install that may be the machine's own, older one.
 */
export const nodeBin = join(root, 'node_modules', '.bin', 'node');

/** Runs a command in the repo root, inheriting the terminal; answers its exit status and how long it took. */
export function attempt(cmd, args) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return { ok: r.status === 0, code: r.status ?? 1, ms: Date.now() - started };
}

/** Runs a command in the repo root, inheriting the terminal; exits with its code when it fails. */
export function run(cmd, args, what) {
  const r = attempt(cmd, args);
  if (!r.ok) {
    console.error(`${what} failed (exit ${r.code})`);
    process.exit(r.code);
  }
  return r.ms;
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

/** Whether something accepts connections on 127.0.0.1:port. */
export const listening = (port) =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port: Number(port) });
    const done = (up) => {
      s.destroy();
      resolve(up);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1_000, () => done(false));
  });
