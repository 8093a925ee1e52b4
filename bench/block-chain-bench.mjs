#!/usr/bin/env node
// Walking and validating a 5,000-block KHO chain (2.55M entries) held in a sparse 8 GiB raw
// image, through the built CLI: wall time and peak RSS of each run. Targets: < 1 s, < 150 MiB.
// Usage: node bench/block-chain-bench.mjs (after npm run build); npm run bench runs it too.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, runIfMain } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));
const BLOCKS = 5000;
const PER_BLOCK = (4096 - 16) / 8;
const ROOT = 0x1000;
const FIRST_BLOCK = 4 * 2 ** 30;
const STRIDE = 0x10000;
const TARGET_MS = 1000;
const TARGET_MIB = 150;

/** A sparse 8 GiB raw dump: pci/blk16-v1 root at 0x1000, BLOCKS full blocks from 4 GiB, every entry in use. */
function writeImage(path) {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 8 * 2 ** 30);
  const root = Buffer.alloc(16);
  root.writeUInt32LE(1, 0);
  root.writeUInt32LE(BLOCKS * PER_BLOCK, 4);
  root.writeBigUInt64LE(BigInt(FIRST_BLOCK), 8);
  writeSync(fd, root, 0, 16, ROOT);
  const page = Buffer.alloc(4096);
  for (let k = 0; k < BLOCKS; k++) {
    const at = FIRST_BLOCK + k * STRIDE;
    page.writeBigUInt64LE(k + 1 < BLOCKS ? BigInt(at + STRIDE) : 0n, 0);
    page.writeBigUInt64LE(BigInt(PER_BLOCK), 8);
    for (let i = 0; i < PER_BLOCK; i++) {
      const n = k * PER_BLOCK + i;
      page.writeUInt32LE(n >>> 16, 16 + i * 8);
      page.writeUInt16LE(n & 0xffff, 20 + i * 8);
      page.writeUInt16LE(1, 22 + i * 8);
    }
    writeSync(fd, page, 0, page.length, at);
  }
  closeSync(fd);
}

/** Run the built CLI under bench/max-rss.mjs: wall ms, peak RSS MiB, exit code, stdout. */
export function runCli(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', MAX_RSS, CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = /maxrss-kib=(\d+)/.exec(r.stderr);
  if (!rss) throw new Error(`kho-abi ${args.join(' ')} failed: ${r.stderr}`);
  return { code: r.status, ms, mib: Number(rss[1]) / 1024, stdout: r.stdout };
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
      const all = Array.from({ length: runs }, () => runCli(args));
      const failed = all.find((r) => r.code !== 0);
      if (failed) throw new Error(`${name}: exit ${failed.code}\n${failed.stdout.slice(0, 2000)}`);
      const best = Math.min(...all.map((r) => r.ms));
      const peak = Math.max(...all.map((r) => r.mib));
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
