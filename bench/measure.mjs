// Time-boxed throughput measurement: warm up, then run in growing batches for at least minSeconds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Run `fn` repeatedly (after a warm-up) for at least minSeconds and minOps; returns { ops, seconds, sink }. */
export function measure(fn, { minSeconds, minOps = 3, warmupSeconds = minSeconds / 4 }) {
  let sink = 0;
  const run = (seconds, atLeast) => {
    let ops = 0;
    let batch = 1;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (let j = 0; j < batch; j++) sink ^= fn() ? 1 : 0;
      ops += batch;
      elapsed = (performance.now() - start) / 1000;
      if (elapsed < seconds / 16) batch *= 2;
    } while (elapsed < seconds || ops < atLeast);
    return { ops, seconds: elapsed };
  };
  run(warmupSeconds, 1);
  return { ...run(minSeconds, minOps), sink };
}

/** Compile bench/c-reference.c with gcc -O2 into a temp dir; null when gcc is missing. */
export function compileCReference(source) {
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-bench-'));
  const exe = join(dir, 'c-reference');
  try {
    execFileSync('gcc', ['-O2', '-o', exe, source], { stdio: 'pipe' });
  } catch (e) {
    return { dir, exe: null, error: String(e.stderr ?? e.message).trim() };
  }
  return { dir, exe, error: null };
}

/** Run the C reference parse loop on a blob written to `dir`; returns { ops, seconds }. */
export function measureC(exe, dir, name, bytes, abi, minSeconds) {
  const file = join(dir, `${name.replace(/\W+/g, '_')}.bin`);
  writeFileSync(file, bytes);
  const out = execFileSync(exe, [file, abi, String(minSeconds)], { encoding: 'utf8' });
  const { ops, seconds } = JSON.parse(out);
  return { ops, seconds };
}
