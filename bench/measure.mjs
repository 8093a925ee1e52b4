// Time-boxed throughput measurement: warm up, then run in growing batches for at least minSeconds;
// several contenders measured in turn, round after round, so they share the machine's moods.
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

/** The median of numbers (mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Measure contenders side by side: `rounds` rounds, each measuring every contender in turn
 * (a contender is a function returning { ops, seconds }, or null when skipped). Returns, by
 * name, the ops/s of each round (null when skipped), so ratios can be taken round by round.
 */
export function sideBySide(contenders, rounds) {
  const rates = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(contenders)) {
      const m = run ? run() : null;
      rates[name].push(m ? m.ops / m.seconds : null);
    }
  }
  return rates;
}

/** Median of the round-by-round ratios a[i] / b[i]; NaN when either was skipped. */
export function medianRatio(a, b) {
  if (a.some((x) => x === null) || b.some((x) => x === null)) return NaN;
  return median(a.map((x, i) => x / b[i]));
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

/** Run the C reference parse loop (mode `reuse` or `fresh`) on a blob written to `dir`; returns { ops, seconds }. */
export function measureC(exe, dir, name, bytes, abi, minSeconds, mode = 'reuse') {
  const file = join(dir, `${name.replace(/\W+/g, '_')}.bin`);
  writeFileSync(file, bytes);
  const out = execFileSync(exe, [file, abi, String(minSeconds), mode], { encoding: 'utf8' });
  const { ops, seconds } = JSON.parse(out);
  return { ops, seconds };
}
