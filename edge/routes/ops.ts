import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { DropFigures } from '../../admission/index.ts';
import type { AuditRecord } from '../../audit/index.ts';
import { AppError } from '../../platform/index.ts';
import type { EdgeEnv } from '../env.ts';
import { panelSample, type PanelReading } from '../live-panel.ts';
import type { Metrics } from '../metrics.ts';
import { idParam } from '../validate.ts';

/** How often a live panel gets a point. */
const PANEL_MS = 1_000;

export interface OpsDeps {
  figures: (dropId: string) => Promise<DropFigures | null>;
  metrics: Pick<Metrics, 'joinsOf'>;
  audits: { run(dropId: string): Promise<AuditRecord>; last(dropId: string): Promise<AuditRecord | null> };
  /** Aborted when the edge drains: live panels end, so the server can close. */
  stopping: AbortSignal;
}

/** The id of a drop Redis knows; not_found otherwise. */
async function knownDrop(deps: OpsDeps, dropId: string): Promise<string> {
  if ((await deps.figures(dropId)) === null) throw new AppError('not_found', 'no such drop');
  return dropId;
}

/**
 * The ops dashboard's admin routes; the caller mounts them behind the admin role. A drop's live panel is a
 * text/event-stream of `sample` events, one a second (see PanelSample), read from the same figures /metrics
 * exposes: the drop's Redis keys and this edge's join metrics. It ends when the client leaves or the edge drains.
 */
export const opsRoutes = (deps: OpsDeps) =>
  new Hono<EdgeEnv>()
    .get('/drops/:drop_id/live', async (c) => {
      const dropId = idParam(c, 'drop_id', 'drop');
      const read = async (): Promise<PanelReading | null> => {
        const [figures, joins] = await Promise.all([deps.figures(dropId), deps.metrics.joinsOf(dropId)]);
        if (figures === null) return null;
        const total = Object.values(joins.byResult).reduce((s, n) => s + n, 0);
        return { at: Date.now(), figures, joins: total, buckets: joins.buckets };
      };
      const initial = await read();
      if (initial === null) throw new AppError('not_found', 'no such drop');
      return streamSSE(c, async (stream) => {
        const stop = () => void stream.abort();
        deps.stopping.addEventListener('abort', stop, { once: true });
        stream.onAbort(() => deps.stopping.removeEventListener('abort', stop));
        let prev: PanelReading | undefined;
        let cur: PanelReading | null = initial;
        while (cur !== null && !stream.aborted && !deps.stopping.aborted) {
          await stream.writeSSE({ event: 'sample', data: JSON.stringify(panelSample(prev, cur)) });
          prev = cur;
          await stream.sleep(PANEL_MS);
          cur = await read();
        }
      });
    })
    .get('/drops/:drop_id/audit', async (c) => c.json({ audit: await deps.audits.last(await knownDrop(deps, idParam(c, 'drop_id', 'drop'))) }))
    .post('/drops/:drop_id/audit', async (c) => c.json({ audit: await deps.audits.run(await knownDrop(deps, idParam(c, 'drop_id', 'drop'))) }));
