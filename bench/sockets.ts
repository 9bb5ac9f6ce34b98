import { startChild, type Child } from './children.ts';

/** Most sockets per client process: well under its 20,000 open files. */
const PER_CHILD = 8_000;

export type SocketRecord = [openedAt: number | null, toldAt: number | null, status: string | null, failed: string | null];

export interface SocketProgress {
  asked: number;
  open: number;
  told: number;
  failed: number;
}

/**
 * W waiting-room clients spread evenly over ceil(W / 8,000) processes. `add` hands over the ws_url of an
 * admitted buyer (the first W are kept, the rest ignored); urls go to the children in batches every 25 ms.
 */
export async function startSockets(w: number, o: { logDir: string; env: NodeJS.ProcessEnv }) {
  const children: Child[] = [];
  for (let i = 0; i < Math.ceil(w / PER_CHILD); i++) {
    children.push(await startChild(`sockets-${i}`, { file: 'bench/sockets-child.ts', env: o.env, logDir: o.logDir }));
  }
  let taken = 0;
  const pending: string[][] = children.map(() => []);
  const timer = setInterval(() => {
    pending.forEach((urls, i) => {
      if (urls.length === 0) return;
      children[i]!.proc.send({ type: 'open', urls: urls.splice(0) });
    });
  }, 25);

  const sum = (rs: SocketProgress[]) =>
    rs.reduce((a, r) => ({ asked: a.asked + r.asked, open: a.open + r.open, told: a.told + r.told, failed: a.failed + r.failed }), {
      asked: 0,
      open: 0,
      told: 0,
      failed: 0,
    });

  return {
    pids: children.map((c) => c.pid),
    /** True while more sockets are wanted. */
    wants: () => taken < w,
    add(url: string) {
      if (taken >= w) return;
      pending[taken % children.length]!.push(url);
      taken++;
    },
    progress: async () => sum(await Promise.all(children.map((c) => c.ask<SocketProgress>('progress')))),
    async report(): Promise<SocketProgress & { sockets: SocketRecord[] }> {
      const rs = await Promise.all(children.map((c) => c.ask<SocketProgress & { sockets: SocketRecord[] }>('report')));
      return { ...sum(rs), sockets: rs.flatMap((r) => r.sockets) };
    },
    async close() {
      clearInterval(timer);
      await Promise.all(children.map((c) => c.ask('close').catch(() => undefined)));
      await Promise.all(children.map((c) => c.stop(5_000)));
    },
  };
}
export type Sockets = Awaited<ReturnType<typeof startSockets>>;
