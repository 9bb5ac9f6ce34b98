/** A one-line progress bar on stderr (a line per 10% when stderr is not a terminal). */
export function progressBar(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let done = 0;
  let lastDecile = -1;
  const render = (final: boolean) => {
    const secs = (performance.now() - started) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    const share = total === 0 ? 1 : done / total;
    const width = 30;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const eta = rate > 0 ? (total - done) / rate : 0;
    const line = `${label.padEnd(10)} [${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${Math.round(rate).toLocaleString('en-US')} rows/s ${final ? `${secs.toFixed(1)} s` : `ETA ${eta.toFixed(0)} s`}`;
    if (out.isTTY) out.write(`\r${line}${final ? '\n' : ''}`);
    else if (final || Math.floor(share * 10) > lastDecile) {
      lastDecile = Math.floor(share * 10);
      out.write(`${line}\n`);
    }
  };
  let lastDraw = 0;
  return {
    tick(n: number) {
      done += n;
      const now = performance.now();
      if (now - lastDraw > 200 || !out.isTTY) {
        lastDraw = now;
        render(false);
      }
    },
    /** Ends the bar; returns seconds taken. */
    finish(): number {
      render(true);
      return (performance.now() - started) / 1000;
    },
  };
}
