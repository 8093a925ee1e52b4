import type { CliContext } from './context.js';

/** Below this many files no progress bar is drawn. */
const MANY = 20;
const WIDTH = 30;

/** A progress bar on standard error, drawn only when it is a terminal and there are many files; `clear` it before printing. */
export function progressBar(ctx: CliContext, total: number): { tick(done: number): void; clear(): void } {
  if (!ctx.stderrIsTTY || total < MANY) return { tick() {}, clear() {} };
  const draw = (done: number) => {
    const filled = Math.round((done / total) * WIDTH);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${done}/${total}`);
  };
  return { tick: draw, clear: () => process.stderr.write('\r\x1b[K') };
}
