import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { StartupError } from './startup.ts';

/** A listener a process is about to open: the variable that sets its port, its host, and the port (0: any). */
export interface Listener {
  name: string;
  host: string;
  port: number;
}

/** The inodes of the sockets listening on `port` in a /proc/net/tcp or /proc/net/tcp6 table. */
export function listeningInodes(table: string, port: number): string[] {
  return table
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (local === undefined || state !== '0A' || inode === undefined || inode === '0') return [];
      return Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port ? [inode] : [];
    });
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;
const readOr = (path: string) => readFile(path, 'utf8').catch(() => '');

/**
 * Who listens on `port`: "pid N (its command line)", found through /proc on Linux among the processes this user
 * may look into; "another process" when that cannot be told.
 */
export async function holderOf(port: number): Promise<string> {
  const tables = await Promise.all([readOr('/proc/net/tcp'), readOr('/proc/net/tcp6')]);
  const inodes = new Set(tables.flatMap((t) => listeningInodes(t, port)));
  if (inodes.size === 0) return 'another process';
  const pids = (await readdir('/proc').catch(() => [])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
      const inode = SOCKET_LINK.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))?.[1];
      if (inode === undefined || !inodes.has(inode)) continue;
      const command = (await readOr(`/proc/${pid}/cmdline`)).split('\0').filter(Boolean).join(' ');
      const shown = command.length > 100 ? `${command.slice(0, 99)}…` : command;
      return shown === '' ? `pid ${pid}` : `pid ${pid} (${shown})`;
    }
  }
  return 'another process';
}

/** Undefined when host:port can be listened on now, else the error code (EADDRINUSE, EACCES, …). */
const cannotListen = (host: string, port: number) =>
  new Promise<string | undefined>((resolve) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    probe.listen({ host, port }, () => probe.close(() => resolve(undefined)));
  });

/**
 * Resolves when every listener with a fixed port can be opened now; otherwise throws a {@link StartupError}
 * naming each variable whose port is taken and what holds it, or that is set to the port of another. Meant to
 * run before a process touches anything shared (migrations, consumer groups, demo data).
 */
export async function assertPortsFree(listeners: Listener[]): Promise<void> {
  const fixed = listeners.filter((l) => l.port !== 0);
  const problems: string[] = [];
  const first = new Map<number, string>();
  for (const l of fixed) {
    const other = first.get(l.port);
    if (other !== undefined) problems.push(`${l.name} ${l.port} is the port of ${other} too`);
    else first.set(l.port, l.name);
  }
  for (const l of fixed) {
    const code = await cannotListen(l.host, l.port);
    if (code === undefined) continue;
    const why = code === 'EADDRINUSE' ? `is in use by ${await holderOf(l.port)}` : `cannot be listened on (${code})`;
    problems.push(`${l.name}: ${l.host}:${l.port} ${why}`);
  }
  if (problems.length > 0) throw new StartupError(`cannot start:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}
