/** One line of the chart: points (seconds since the drop opened, value). */
export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  /** Drawn against the right-hand axis. */
  right?: boolean;
}

export interface ChartInput {
  title: string;
  subtitle: string;
  series: Series[];
  /** Vertical markers, such as the moment the drop sold out. */
  markers: { at: number; label: string }[];
  leftLabel: string;
  rightLabel: string;
}

const W = 960;
const H = 520;
const M = { top: 78, right: 86, bottom: 56, left: 86 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A "nice" upper bound and tick step for values up to `max`. */
function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  return { top: Math.ceil(max / step) * step, step };
}

const fmt = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${+n.toFixed(1)}`);

/** A self-contained SVG line chart with a left and a right axis, a legend and markers. */
export function renderChart(c: ChartInput): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const all = c.series.flatMap((s) => s.points);
  const xMax = niceScale(Math.max(1, ...all.map(([x]) => x), ...c.markers.map((m) => m.at)), 10);
  const left = niceScale(Math.max(0, ...c.series.filter((s) => !s.right).flatMap((s) => s.points.map(([, y]) => y))));
  const right = niceScale(Math.max(0, ...c.series.filter((s) => s.right).flatMap((s) => s.points.map(([, y]) => y))));
  const x = (v: number) => M.left + (v / xMax.top) * pw;
  const y = (v: number, r = false) => M.top + ph - (v / (r ? right : left).top) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="24" font-size="16" font-weight="bold">${esc(c.title)}</text>`,
    `<text x="${M.left}" y="44" fill="#444">${esc(c.subtitle)}</text>`,
  ];
  for (let v = 0; v <= left.top + 1e-9; v += left.step) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#333">${fmt(v)}</text>`);
  }
  for (let v = 0; v <= right.top + 1e-9; v += right.step) {
    out.push(`<text x="${M.left + pw + 6}" y="${y(v, true) + 4}" fill="#7a4d00">${fmt(v)}</text>`);
  }
  for (let v = 0; v <= xMax.top + 1e-9; v += xMax.step) {
    out.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${M.top + ph}" y2="${M.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${x(v)}" y="${M.top + ph + 18}" text-anchor="middle">${fmt(v)}</text>`);
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">seconds since the drop opened</text>`,
    `<text transform="translate(20 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.leftLabel)}</text>`,
    `<text transform="translate(${W - 16} ${M.top + ph / 2}) rotate(90)" text-anchor="middle" fill="#7a4d00">${esc(c.rightLabel)}</text>`,
  );
  for (const m of c.markers) {
    out.push(`<line x1="${x(m.at)}" x2="${x(m.at)}" y1="${M.top}" y2="${M.top + ph}" stroke="#888" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x(m.at) + 4}" y="${M.top + 14}" fill="#555">${esc(m.label)}</text>`);
  }
  c.series.forEach((s, i) => {
    if (s.points.length > 0) {
      const pts = s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b, s.right).toFixed(1)}`).join(' ');
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8" points="${pts}"/>`);
    }
    const lx = M.left + i * 190;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="62" y2="62" stroke="${s.color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 28}" y="66">${esc(s.name)}${s.right ? ' (right)' : ''}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
