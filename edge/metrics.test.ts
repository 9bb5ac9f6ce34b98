import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { domainRegistry } from '../platform/index.ts';
import { createMetrics } from './metrics.ts';

describe('the Grafana dashboard', () => {
  it('queries only metrics that a process exposes', async () => {
    const metrics = createMetrics({ openDrops: () => Promise.resolve([]) });
    const exposed = new Set(
      [...(await metrics.registry.getMetricsAsJSON()), ...(await domainRegistry.getMetricsAsJSON())].flatMap((m) =>
        String(m.type) === 'histogram' ? [`${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`] : [m.name],
      ),
    );
    const dashboard = JSON.parse(await readFile(new URL('../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const queried = dashboard.panels.flatMap((p) => p.targets ?? []).flatMap((t) => t.expr.match(/\b(flashline|http)_[a-z_]+/g) ?? []);
    expect(queried.length).toBeGreaterThan(15);
    expect(queried.filter((name) => !exposed.has(name))).toEqual([]);
  });
});
