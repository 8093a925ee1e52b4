// The built CLI on a 1,000,000-entry blob as a user runs it, pipes included: wall time of the
// whole command line and the peak RSS of every kho-abi process in it, measured by GNU time.
// Standalone: node bench/cli-end-to-end-bench.mjs [--smoke] (after npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode, getAbi } from '../dist/index.js';
import { benchInput } from './inputs.mjs';
import { median } from './measure.mjs';
import { check, runIfMain } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const ID = 'pci-v2/flat8-max32';
const ENTRIES = 1_000_000;
const TARGET_MB = 200;
/** decode --json of a million devices is about 94 MB of text, past encode's default --max-size (64 MiB). */
const JSON_MAX = 256 * 2 ** 20;

const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Run a shell command line whose KHO_ABI words are the built CLI under GNU time (one report
 * file each); returns the wall ms of the whole line and the peak RSS (MB) of each kho-abi process.
 */
function runLine(line, dir) {
  let k = 0;
  const reports = [];
  const script = line.replace(/\bKHO_ABI\b/g, () => {
    const report = join(dir, `time-${k++}.txt`);
    reports.push(report);
    return `${GNU_TIME} -f %M -o ${quote(report)} ${quote(process.execPath)} ${quote(CLI)}`;
  });
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) return { error: `exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}` };
  const mb = reports.map((f) => (Number(/(\d+)\s*$/.exec(readFileSync(f, 'utf8'))[1]) * 1024) / 1e6);
  return { ms, mb };
}

/** Run the suite; resolves to its section of the report. */
export async function cliEndToEndBench({ smoke = false } = {}) {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is missing: apt-get install time`);
  const runs = smoke ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-e2e-bench-'));
  try {
    const blob = join(dir, 'devices.bin');
    const bytes = encode(benchInput(getAbi(ID), ENTRIES), ID);
    writeFileSync(blob, bytes);
    const b = quote(blob);
    const out = join(dir, 'again.bin');
    const lines = [
      ['decode (text)', `KHO_ABI decode ${b} --abi ${ID} > /dev/null`],
      ['decode --json', `KHO_ABI decode ${b} --abi ${ID} --json > /dev/null`],
      ['decode --json | encode', `KHO_ABI decode ${b} --abi ${ID} --json | KHO_ABI encode - --max-size ${JSON_MAX} -o ${quote(out)} && cmp -s ${b} ${quote(out)}`],
      ['validate', `KHO_ABI validate ${b} --abi ${ID} > /dev/null`],
      ['hexdump | head', `KHO_ABI hexdump ${b} --abi ${ID} | head -n 40 > /dev/null`],
    ];
    const rows = [];
    const checks = [];
    for (const [name, line] of lines) {
      const all = Array.from({ length: runs }, () => runLine(line, dir));
      const failed = all.find((r) => r.error);
      if (failed) {
        rows.push([name, 'failed', failed.error]);
        checks.push({ ...check(`${name}: peak RSS of each kho-abi process`, NaN, TARGET_MB, ' MB', smoke, 'max'), met: false, line: `${name}: FAILED (${failed.error})` });
        continue;
      }
      const ms = median(all.map((r) => r.ms));
      const peak = Math.max(...all.flatMap((r) => r.mb));
      rows.push([name, ms.toFixed(0), peak.toFixed(0)]);
      checks.push(check(`${name}: peak RSS of each kho-abi process`, peak, TARGET_MB, ' MB', smoke, 'max'));
    }
    return {
      title: 'CLI end to end on a 1,000,000-entry blob',
      about: `The built command on an ${(bytes.length / 1e6).toFixed(0)} MB ${ID} blob of ${ENTRIES.toLocaleString('en-US')} in-use entries, as a user types it (bash -o pipefail, output to /dev/null; the round trip is compared with cmp, and encode is given \`--max-size ${JSON_MAX}\` for its 94 MB of JSON text). Wall time of the whole command line, median of ${runs}; peak RSS = the largest maximum resident set size GNU time reports for any kho-abi process of the line, over the runs.`,
      header: ['command line', 'wall ms', 'peak RSS MB'],
      rows,
      checks,
      notes: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, cliEndToEndBench);
