import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A process the benchmark started, with its own event loop (and core, when the machine has one to give). */
export interface Child<Ready = Record<string, unknown>> {
  name: string;
  pid: number;
  /** What the child said when it was ready. */
  ready: Ready;
  proc: ChildProcess;
  /** The child's log (stdout and stderr). */
  log: string;
  /** Sends a message and resolves with the first reply of type `${type}:reply`. */
  ask<T>(type: string, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ChildOptions {
  file: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Start with `node --cpu-prof`, the profiles (one per thread) written to `<logDir>/<name>-profile/`. */
  profile?: boolean;
}

/** How long a child may take to say it is ready. */
const READY_TIMEOUT_MS = 60_000;

const tail = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
};

/**
 * Starts `node <file>` with an IPC channel and resolves once it sends `{type: 'ready'}`; its output
 * goes to `<logDir>/<name>.log`. Rejects (with the log's tail) when it exits or stays silent first.
 */
export async function startChild<Ready = Record<string, unknown>>(name: string, o: ChildOptions): Promise<Child<Ready>> {
  mkdirSync(o.logDir, { recursive: true });
  const log = join(o.logDir, `${name}.log`);
  const fd = openSync(log, 'a');
  const prof = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(o.logDir, `${name}-profile`)}`] : [];
  const proc = spawn(process.execPath, [...prof, o.file], {
    env: o.env,
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${READY_TIMEOUT_MS} ms\n${tail(log)}`)), READY_TIMEOUT_MS);
    const onMessage = (m: { type?: string }) => {
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve(m as Ready);
    };
    proc.on('message', onMessage);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready\n${tail(log)}`));
    });
  });
  let asked = 0;
  return {
    name,
    pid: proc.pid!,
    ready,
    proc,
    log,
    ask<T>(type: string, timeoutMs = 60_000) {
      const id = ++asked;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not answer ${type}`)), timeoutMs);
        const onMessage = (m: { type?: string; id?: number }) => {
          if (m.type !== `${type}:reply` || m.id !== id) return;
          clearTimeout(timer);
          proc.off('message', onMessage);
          resolve(m as T);
        };
        proc.on('message', onMessage);
        proc.send({ type, id });
      });
    },
    async stop(graceMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Answers `ask` requests of the parent: `handlers[type]` gets the message and returns the reply's fields. */
export function answerParent(handlers: Record<string, (m: Record<string, unknown>) => unknown>): void {
  process.on('message', (m: { type: string; id: number }) => {
    const handle = handlers[m.type];
    if (!handle) return;
    void Promise.resolve(handle(m)).then((reply) => process.send?.({ ...(reply as object), type: `${m.type}:reply`, id: m.id }));
  });
}
