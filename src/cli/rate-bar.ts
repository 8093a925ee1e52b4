import type { CliContext } from './context.js';

const WIDTH = 30;
const EVERY = 2000;

/** A progress bar with cases per second on standard error, drawn only when it is a terminal. */
export function rateBar(ctx: CliContext, total: number | undefined): { tick(done: number): void; end(done: number, seconds: number): void } {
  if (!ctx.stderrIsTTY) return { tick() {}, end() {} };
  const start = performance.now();
  const rate = (done: number, seconds: number) => `${Math.round(done / Math.max(seconds, 1e-9)).toLocaleString('en-US')} cases/s`;
  return {
    tick(done) {
      if (done % EVERY !== 0) return;
      const seconds = (performance.now() - start) / 1000;
      const filled = total ? Math.min(WIDTH, Math.round((done / total) * WIDTH)) : 0;
      const bar = total ? `[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${done}/${total}` : `${done} cases`;
      process.stderr.write(`\r${bar}  ${rate(done, seconds)}\x1b[K`);
    },
    end(done, seconds) {
      process.stderr.write(`\r\x1b[K${done} cases in ${seconds.toFixed(1)} s (${rate(done, seconds)})\n`);
    },
  };
}
