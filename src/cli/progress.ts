import type { CliContext } from './context.js';

/** Below this many files no progress bar is drawn. */
const MANY = 20;
const WIDTH = 30;

/** A progress bar on standard error, drawn only when it is a terminal and there are many files. */
export function progressBar(ctx: CliContext, total: number): { tick(done: number): void; end(): void } {
  if (!ctx.stderrIsTTY || total < MANY) return { tick() {}, end() {} };
  const draw = (done: number) => {
    const filled = Math.round((done / total) * WIDTH);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${done}/${total}`);
  };
  return { tick: draw, end: () => process.stderr.write('\r\x1b[K') };
}
