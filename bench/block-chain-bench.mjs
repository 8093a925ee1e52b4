#!/usr/bin/env node
// Walking and validating a 5,000-block KHO chain (2.55M entries) held in a sparse 8 GiB raw
// image, through the built CLI: wall time and peak RSS of each run. Targets: < 1 s, < 150 MiB.
// Usage: node bench/block-chain-bench.mjs (after npm run build); npm run bench runs it too.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bestOf, chainPages, PER_BLOCK } from './chain-image.mjs';
import { check, runIfMain } from './report.mjs';

const BLOCKS = 5000;
const ROOT = 0x1000;
const FIRST_BLOCK = 4 * 2 ** 30;
const STRIDE = 0x10000;
const TARGET_MS = 1000;
const TARGET_MIB = 150;

/** A sparse 8 GiB raw dump: pci/blk16-v1 root at 0x1000, BLOCKS full blocks from 4 GiB, every entry in use. */
function writeImage(path) {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 8 * 2 ** 30);
  for (const [pa, page] of chainPages({ root: ROOT, blocks: BLOCKS, firstBlock: FIRST_BLOCK, stride: STRIDE })) writeSync(fd, page, 0, page.length, pa);
  closeSync(fd);
}

/** Run the benchmark: one row per command, best of 3 runs (1 with --smoke); resolves to a report section. */
export async function blockChainBench({ smoke = false } = {}) {
  const runs = smoke ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-chain-bench-'));
  try {
    const image = join(dir, 'chain.bin');
    writeImage(image);
    const memory = ['--memory', `${image}@0x0`, '--root-pa', `0x${ROOT.toString(16)}`, '--abi', 'pci/blk16-v1'];
    const cases = [
      ['validate (walk + every rule)', ['validate', ...memory]],
      ['detect (walks the chain under each block id)', ['detect', ...memory.slice(0, -2)]],
      ['node startup alone (kho-abi --version)', ['--version']],
    ];
    const rows = [];
    const checks = [];
    for (const [name, args] of cases) {
      const { ms: best, mib: peak } = bestOf(runs, args);
      rows.push([name, String(Math.round(best)), String(Math.round(peak))]);
      if (args[0] === 'validate') {
        checks.push(check(`${name}: wall time`, best, TARGET_MS, ' ms', smoke, 'max'));
        checks.push(check(`${name}: peak RSS`, peak, TARGET_MIB, ' MiB', smoke, 'max'));
      }
    }
    return {
      title: 'KHO block chain in a sparse memory image',
      about: `${BLOCKS.toLocaleString('en-US')} full blocks (${(BLOCKS * PER_BLOCK).toLocaleString('en-US')} in-use entries, pci/blk16-v1) spread 64 KiB apart above 4 GiB in a sparse 8 GiB raw dump; the built CLI run as a user runs it (\`--memory IMG@0x0 --root-pa 0x1000\`), best of ${runs} wall times, peak RSS = VmHWM of the CLI process (bench/max-rss.mjs).`,
      header: ['command', 'wall ms', 'peak RSS MiB'],
      rows,
      checks,
      notes: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, blockChainBench);
