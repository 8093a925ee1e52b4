// Text output of 2,000,000 devices, streamed: wall time and peak RSS of the built CLI, measured
// with GNU time -v as a user would. `node bench/streamed-text-bench.mjs` prints the markdown.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigSlotsBlob } from './big-blob.mjs';
import { runIfMain } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const N = 2_000_000;

/** One run under /usr/bin/time -v through sh (for the pipe): wall seconds and peak RSS in MiB. */
function timed(shell) {
  const r = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', shell], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!wall || !rss) throw new Error(`no GNU time -v report:\n${r.stderr}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, peakMiB: Math.round(Number(rss[1]) / 1024) };
}

/** Decode and hexdump of 2M devices to /dev/null, and decode | head -3; resolves to a report section (1M devices with --smoke). */
export async function streamedTextBench({ smoke = false } = {}) {
  const n = smoke ? N / 2 : N;
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-stream-'));
  try {
    const path = join(dir, 'big.bin');
    writeFileSync(path, bigSlotsBlob(n));
    const cli = `'${process.execPath}' '${CLI}'`;
    const args = `'${path}' --abi pci-v3/flat8-max32`;
    const lines = execFileSync('sh', ['-c', `${cli} decode ${args} | wc -l`], { encoding: 'utf8' }).trim();
    const cases = [
      [`decode, text (${lines} lines) > /dev/null`, `${cli} decode ${args} > /dev/null`],
      ['hexdump, text > /dev/null', `${cli} hexdump ${args} > /dev/null`],
      ['decode, text | head -3', `${cli} decode ${args} | head -3 > /dev/null`],
      ['node startup alone (kho-abi --version)', `${cli} --version > /dev/null`],
    ];
    const rows = cases.map(([name, shell]) => {
      const r = timed(shell);
      return [name, r.seconds.toFixed(2), String(r.peakMiB)];
    });
    return {
      title: 'Streamed text output',
      about: `A pci-v3/flat8-max32 blob of ${n.toLocaleString('en-US')} in-use devices; the built CLI under GNU \`/usr/bin/time -v\` (wall clock, maximum resident set size, of the whole pipeline for \`| head\`), one run each. Recorded, not judged (the 1M-entry end-to-end rows carry the RSS targets).`,
      header: ['command', 'wall s', 'peak RSS MiB'],
      rows,
      checks: [],
      notes: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, streamedTextBench);
